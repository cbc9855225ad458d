"""The TOML profile: Albuquerque defaults, another city's overrides, clear errors."""

import pytest

import vipreport as vr


def test_albuquerque_defaults(config):
    assert config.fiscal_year_start_month == 7
    assert config.area_rows == ("Southeast", "Northeast", "Northwest", "Foothills", "Southwest", "Valley", "N/A")
    assert config.recidivism_window_days == 730
    assert config.recidivism_cohort_months == 24
    assert config.age_group_labels[-1] == "Unknown"
    assert config.age_group_code(17) == 0 and config.age_group_code(18) == 1 and config.age_group_code(300) == 4


def test_another_city_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "springfield.toml"
    path.write_text(
        'name = "Springfield GVI"\n'
        "[calendar]\nfiscal_year_start_month = 10\n"
        '[areas]\ncommands = ["North", "South"]\nmissing = "Unknown"\n'
        '[areas.aliases]\n"N" = "North"\n'
    )
    config = vr.Config.from_toml(path)
    assert config.name == "Springfield GVI"
    assert config.fiscal_year_start_month == 10
    assert config.area_rows == ("North", "South", "Unknown")
    assert config.area_aliases == {"N": "North"}  # aliases replace, never merge with Albuquerque's
    assert config.recidivism_window_days == 730


@pytest.mark.parametrize("text, match", [
    ("[calendar]\nfiscal_year_start_month = 13\n", "calendar.fiscal_year_start_month must be an integer from 1 to 12"),
    ('[engagement]\nstatuses = ["finished"]\n', "'finished' is not one of services.statuses"),
    ('[areas.aliases]\n"X" = "Atlantis"\n', "maps to 'Atlantis'"),
    ("[[age_groups]]\nlabel='a'\nmin=0\nmax=20\n[[age_groups]]\nlabel='b'\nmin=20\nmax=30\n", "overlap"),
    ("not toml [", "not valid TOML"),
])
def test_bad_profiles_name_the_key(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(vr.ConfigError, match=match):
        vr.Config.from_toml(path)


def test_missing_file(tmp_path):
    with pytest.raises(vr.ConfigError, match="not found"):
        vr.Config.from_toml(tmp_path / "nope.toml")
