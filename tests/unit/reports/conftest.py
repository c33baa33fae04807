from __future__ import annotations

import pytest

from assistant.knowledge.schema import Catalog, RuleSet
from assistant.reports import ReportData
from tests.utils.report_data import three_star_report_data


@pytest.fixture(scope="session")
def zh_data(real_catalog: Catalog, real_rules: RuleSet) -> ReportData:
    return three_star_report_data(real_catalog, real_rules)


@pytest.fixture(scope="session")
def en_data(real_catalog: Catalog, real_rules: RuleSet) -> ReportData:
    return three_star_report_data(real_catalog, real_rules, language="en")
