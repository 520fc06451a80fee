"""The build pipeline: sources -> geocode -> names -> validate -> layers (`python -m dashboard build | check`).

Nothing here runs in the app: pages read the built layers through `dashboard.data`.
"""
