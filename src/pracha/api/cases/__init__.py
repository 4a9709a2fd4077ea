"""The cases API: one router assembled from public, citizen and officer endpoints."""

from ninja import Router

from pracha.api.cases import citizen, officer, public, triage

router = Router(tags=["cases"])
router.add_router("", public.router)
router.add_router("", citizen.router)
router.add_router("", officer.router)
router.add_router("", triage.router)
