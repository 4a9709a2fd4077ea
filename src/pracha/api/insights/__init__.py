"""The insights API: indicators, analytics and open data, one router for /api/v1/."""

from ninja import Router

from pracha.api.insights import analytics, indicators, open_data

router = Router()
router.add_router("", indicators.router)
router.add_router("", analytics.router)
router.add_router("", open_data.router)
