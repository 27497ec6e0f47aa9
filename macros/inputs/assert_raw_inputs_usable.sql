{#-
    Stops the build before any model runs when a raw export cannot be used: a file is
    missing, or its header lacks a contract column (the columns listed on each source table).
    The error names the file, the column and the CRM_RAW_DIR in use, so the fix is obvious.
-#}
{% macro assert_raw_inputs_usable() %}
    {% if execute %}
        {#- The same default as the sources' external_location. -#}
        {% set raw_dir = env_var('CRM_RAW_DIR', 'data/demo') %}
        {% for source_node in graph.sources.values() if source_node.package_name == project_name %}
            {% set file_path = raw_dir ~ '/' ~ source_node.name ~ '.csv' %}
            {% if not raw_file_exists(file_path) %}
                {{ exceptions.raise_compiler_error(
                    "Raw input file '" ~ source_node.name ~ ".csv' not found in CRM_RAW_DIR='" ~ raw_dir ~ "'"
                ) }}
            {% endif %}
            {% set present = raw_file_columns(file_path) %}
            {% set missing = [] %}
            {% for column_name in source_node.columns if column_name | lower not in present %}
                {% do missing.append(column_name) %}
            {% endfor %}
            {% if missing %}
                {{ exceptions.raise_compiler_error(
                    "Raw input file '" ~ source_node.name ~ ".csv' in CRM_RAW_DIR='" ~ raw_dir
                    ~ "' is missing contract column(s): " ~ missing | join(', ')
                ) }}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
