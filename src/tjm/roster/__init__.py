"""Roster pricing for `tjm batch`: read the CSV (read), parse its columns (columns), price
them as arrays (price), and write the rows back (write)."""
