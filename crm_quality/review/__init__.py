"""The clerical review queue: pairs the matcher scored, sampled for a data steward to label.

`python -m crm_quality.review sample` (make review-sample) writes reviews/pairs_to_review.csv
from the published warehouse: a sample of fct_match_pairs stratified by match band
(macro match_band), the uncertain bands over-sampled, the near misses of missing customers
added, pairs already labelled (CRM_LABELS) left out. docs/review.md walks a steward through it.
"""
