-- Every check of every record, one row each (defective or not): the check models in long form,
-- for analysts. A view the build never reads: it writes no row per passing check.
{{ quality_check_rows() }}
