"""The packaged dataset: roles, regions, skills, billable days, channels and their sources.

It sits below market, france and sales, which all read it."""
