"""POST /line/webhook: LINE's deliveries. Stored first (the 200 means they are safe), then
handled once the answer has gone out."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3.exceptions import InvalidSignatureError

from pracha.line.services.inbox import BadDelivery, do_store_delivery, process_pending

log = logging.getLogger(__name__)


def _handle_after_response(user_ids: list[str]) -> None:
    for user_id in user_ids:
        try:
            process_pending(user_id=user_id)
        except Exception:  # the worker's pass retries whatever is left
            log.exception("LINE events of a user were left for the worker")


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    if not settings.PRACHA.line_channel_secret:
        raise Http404("LINE is not configured")
    signature = request.headers.get("X-Line-Signature", "")
    if not signature:
        return JsonResponse({"error": "missing X-Line-Signature"}, status=400)
    try:
        body = request.body.decode("utf-8")
        user_ids = do_store_delivery(body, signature)
    except InvalidSignatureError:
        return JsonResponse({"error": "invalid X-Line-Signature"}, status=400)
    except (UnicodeDecodeError, BadDelivery, ValueError) as exc:
        return JsonResponse({"error": f"not a LINE webhook payload: {exc}"}, status=400)
    response = JsonResponse({"stored": True})
    # Runs when the server closes the response, i.e. after LINE has its 200.
    response._resource_closers.append(  # type: ignore[attr-defined]
        lambda: _handle_after_response(user_ids)
    )
    return response
