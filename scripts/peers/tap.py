"""Runs Singer's tap-facebook, unchanged, against graph-sim.

Like the Airbyte wrapper: tap-facebook calls Meta only through facebook_business, whose URLs
all start with `FacebookSession.GRAPH`; that constant is the one thing set here.

Usage: PEERS_GRAPH_ROOT=http://127.0.0.1:PORT python tap.py <tap args...>
"""

import os
import sys

from facebook_business.session import FacebookSession

FacebookSession.GRAPH = os.environ["PEERS_GRAPH_ROOT"].rstrip("/")

from tap_facebook import main  # noqa: E402  (after the base URL is set)

if __name__ == "__main__":
    sys.exit(main())
