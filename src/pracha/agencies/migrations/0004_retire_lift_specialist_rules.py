"""Switch off the specialist routing rules the first seed chose by lift.

They sent drainage, canal, electricity, stray-animal, traffic-sign and PM2.5 reports to a
department that acted on 10-60% of them while the district office acted on ~99% (issue 14).
Only rules whose reason is still the seed's own text are switched off, so a rule an
administrator rewrote stays as it is; `pracha seed-routing --commit` then adds the rules
learnt from who acted (co-agency invitations included).
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

LIFT_SEED_TEXT = "times its share of all tickets"
LIFT_CATEGORIES = ("flooding", "drains", "wires", "canal", "stray_animals", "traffic_signs", "pm25")


def retire(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RoutingRule = apps.get_model("agencies", "RoutingRule")
    RoutingRule.objects.filter(
        target="agency",
        category__in=LIFT_CATEGORIES,
        district="",
        reason__contains=LIFT_SEED_TEXT,
        is_active=True,
    ).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_routing_rule_co_agency_target")]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
