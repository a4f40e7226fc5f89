"""Deliveries: planning and running delivery runs (dispatch), weekly requests that reopen
(recurring), and the content of route sheets (route_sheets)."""
