"""The `hexie` commands (`scripts/cli.py` parses the arguments), one module per group:

- `ledger`: `init` (the Annex 1 targets and Annex 2 measures, the first token), `demo`, `erase-person`;
- `server`: `serve`;
- `read_side`: `rebuild`, and bringing the read models up to date for the commands that read them;
- `audit`: `export`, `verify`;
- `tokens`: `token create|revoke|list`;
- `spreadsheets`: `import`, `acceptance-pack`.

Each imports what it needs when it runs, so `hexie --help` stays quick.
"""
