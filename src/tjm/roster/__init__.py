"""Roster pricing for `tjm batch`: read the CSV (read, codes), parse its columns (columns),
price them as arrays (price), write the rows back (write) to a checked place (destination)."""
