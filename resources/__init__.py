"""Resources beside performance: each quarter's revenue budget and forecast outturn, savings
programme, capital programme and reserves, uploaded by finance officers, approved by the
performance team and published with the period (README, Resources)."""
