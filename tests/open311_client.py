# SPDX-License-Identifier: GPL-3.0-or-later
# A small GeoReport v2 client with urllib only, doing what a civic dashboard does (issue #15):
# discovery, the services, then every open request of the last 30 days, page by page.
import datetime
import json
import urllib.parse
import urllib.request


class Open311:
    def __init__(self, base, context=None, page_size=100):
        """@base: the endpoint ("https://host/open311/v2"); @context: an ssl.SSLContext."""
        self.base = base.rstrip("/")
        self.context = context
        self.page_size = page_size

    def get(self, resource, **params):
        """GET @resource.json with @params; the decoded JSON."""
        url = "%s/%s.json" % (self.base, resource)
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, context=self.context, timeout=30) as answer:
            return json.load(answer)

    def discovery(self):
        return self.get("discovery")

    def services(self):
        return self.get("services")

    def open_requests(self, days=30, now=None):
        """Every open request created in the last @days days, most recent first, read page
        by page until a page comes back short."""
        now = now or datetime.datetime.now(datetime.timezone.utc)
        start = (now - datetime.timedelta(days=days)).isoformat(timespec="seconds")
        out, page = [], 1
        while True:
            batch = self.get("requests", status="open", start_date=start,
                             page=page, page_size=self.page_size)
            out.extend(batch)
            if len(batch) < self.page_size:
                return out
            page += 1


def dashboard(base, context=None, page_size=100):
    """What a dashboard shows: the endpoint's specification, service names by code and the
    open requests of the last 30 days."""
    client = Open311(base, context, page_size)
    discovery = client.discovery()
    services = {s["service_code"]: s["service_name"] for s in client.services()}
    return {
        "specification": discovery["endpoints"][0]["specification"],
        "services": services,
        "open": client.open_requests(),
    }
