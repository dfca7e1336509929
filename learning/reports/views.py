"""Report pages: jobcentre demand, the team's report and the region side by side."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/rapporter")
