"""Make an integration token for a care provider's system; prints the secret once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError
from vardnav.integrations.actions import do_create_integration_token
from vardnav.integrations.models import IntegrationScope
from vardnav.organizations.models import CareProvider


class Command(BaseCommand):
    help = "Create an API token for a care provider's integration (CASE-7). The secret is shown only now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", required=True, help="The care provider's slug")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'Journalsystemet'")
        parser.add_argument(
            "--scope",
            action="append",
            choices=IntegrationScope.values,
            help="Repeat for several; default: cases:register",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        provider = CareProvider.objects.filter(slug=options["provider"]).first()
        if provider is None:
            raise CommandError(f"No care provider with slug {options['provider']!r}")
        try:
            token, secret = do_create_integration_token(
                Actor.system(), provider, name=options["name"], scopes=options["scope"]
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stderr.write(f"Token {token.pk} for {provider.name}: store the secret now, it is not shown again.")
        self.stdout.write(secret)
