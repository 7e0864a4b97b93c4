"""`python -m renda_kg` is the `renda-kg` command."""
import sys

from .cli import main

sys.exit(main())
