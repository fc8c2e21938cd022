"""Portfolio Performance and Resources Agreements: per portfolio and year, the indicators it
reports, their targets and the key projects, drafted, commented on, agreed and amended."""
