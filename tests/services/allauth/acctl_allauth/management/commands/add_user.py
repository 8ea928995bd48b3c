"""`add_user EMAIL PASSWORD`: an account whose address is verified, as
the tests start from (signing up would need a mailed code first)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Adds an account with a verified primary email address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("password")

    def handle(self, *args, **options):
        email = options["email"]
        user = get_user_model().objects.create_user(
            username=email.split("@")[0], email=email, password=options["password"]
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
