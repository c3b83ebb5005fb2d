import sys

from sensus.cli import main

sys.exit(main())
