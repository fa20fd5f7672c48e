"""The command line and the data tools, each a package with a public surface:

- `cli` (the `hexie` console script) and `commands/` (what each command does);
- `programme` and `data/`: the seed's Annex 1 targets and Annex 2 measures, and `hexie init`'s recording of them;
- `sheets/`: the spreadsheets — forms, templates, import, report (`http/spreadsheets.py` uses it);
- `demo/`: `hexie demo`, a realistic programme, whose generator also makes the benchmark's data set;
- `bench/`: `make bench` (`python -m hexie.scripts.bench`).
"""
