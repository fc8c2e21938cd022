"""`python -m tests.oidc_provider <command>`: Django's manage.py for the test provider."""

import os
import sys

from django.core.management import execute_from_command_line

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
execute_from_command_line([sys.argv[0], *sys.argv[1:]])
