"""Pages for officers and the performance team, and the indicator page: each module parses
the request, asks a selector or calls a service (measures/services), and renders."""
