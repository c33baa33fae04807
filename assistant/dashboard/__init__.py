"""The association's dashboard (DESIGN §8): star counts on the three readings, by type and by
month, the commonest blockers per level, drawn as SVG and exported to Excel."""

from assistant.dashboard.charts import CHART_NAMES, chart
from assistant.dashboard.excel import XLSX_MEDIA_TYPE, export_xlsx
from assistant.dashboard.models import (
    BlockerCount,
    Dashboard,
    DashboardFilter,
    LevelBlockers,
    MonthCounts,
    StarCounts,
    Totals,
    TypeCounts,
)
from assistant.dashboard.stats import DashboardCounter, collect, from_store

__all__ = [
    "CHART_NAMES",
    "XLSX_MEDIA_TYPE",
    "BlockerCount",
    "Dashboard",
    "DashboardCounter",
    "DashboardFilter",
    "LevelBlockers",
    "MonthCounts",
    "StarCounts",
    "Totals",
    "TypeCounts",
    "chart",
    "collect",
    "export_xlsx",
    "from_store",
]
