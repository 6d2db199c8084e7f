"""The narrative (说明): claims read from its text, and the checks of them against itself and the tables.

claims.py extracts every stated figure (subjects.py names what it is about, text.py joins and
tokenises the text); arithmetic.py, tables.py, coverage.py and verdicts.py judge them; figures.py
finds the table figure a claim is compared with.
"""
