"""Runs Airbyte's source-facebook-marketing, unchanged, against graph-sim.

The only change is the Graph API base URL: the connector talks to Meta through Meta's Python
Business SDK, which builds every URL from the class attribute `FacebookSession.GRAPH`
(facebook_business/session.py; read in facebook_business/api.py `FacebookAdsApi.call`). It is
set here, before the connector is imported; nothing of the connector's own code is touched.

Usage: PEERS_GRAPH_ROOT=http://127.0.0.1:PORT python airbyte.py <airbyte args...>
"""

import os
import sys

from facebook_business.session import FacebookSession

FacebookSession.GRAPH = os.environ["PEERS_GRAPH_ROOT"].rstrip("/")

from source_facebook_marketing.run import run  # noqa: E402  (after the base URL is set)

if __name__ == "__main__":
    sys.exit(run())
