{#-
    One entry of the check catalog (quality_checks): its labels, its rule in words and the SQL
    it runs against `relation`, the prepared relation it reads (a CTE of the check model that
    renders it with render_quality_checks(relation)):
      applies_when  which rows of that relation are checked, beyond the rows of its source system
                    whose source collects the field (field_is_collected, added to every check);
      is_defective  the defect condition on a checked row (null decides nothing: no defect);
      raw_value     the value shown beside the outcome (cast to text);
      column        the standardized column the check reads, where it differs from the field.
-#}
{% macro quality_check(
    source_system, quality_dimension, defect_type, field, rule, relation, is_defective, raw_value,
    applies_when='true', column=none
) %}
    {{ return({
        'source_system': source_system,
        'quality_dimension': quality_dimension,
        'defect_type': defect_type,
        'field': field,
        'column': column or field,
        'rule': rule,
        'relation': relation,
        'applies_when': applies_when,
        'is_defective': is_defective,
        'raw_value': raw_value,
    }) }}
{% endmacro %}
