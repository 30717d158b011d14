import json
import os


def load_settings(path, defaults=None):
    """Read the settings file and merge it over the defaults."""
    settings = dict(defaults or {})
    if not os.path.exists(path):
        return settings
    with open(path, "r", encoding="utf-8") as handle:
        raw = handle.read()
    data = json.loads(raw)
    for key, value in data.items():
        if value is None:
            continue
        settings[key] = value
    return settings


def save_settings(path, settings):
    """Write the settings file."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(settings, handle, indent=2)
