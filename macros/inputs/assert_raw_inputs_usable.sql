{#-
    Stops the build before any model runs when a raw export is missing, naming the file and
    the CRM_RAW_DIR in use. A missing contract column is reported by the loader of that file
    (crm_quality.ingest), which reads the header byte-safely, whatever the file's encoding.
-#}
{% macro assert_raw_inputs_usable() %}
    {% if execute %}
        {#- The same default as the sources' external_location and the loaders' raw_dir. -#}
        {% set raw_dir = env_var('CRM_RAW_DIR', 'data/demo') %}
        {% for source_node in graph.sources.values() if source_node.package_name == project_name %}
            {% if not raw_file_exists(raw_dir ~ '/' ~ source_node.name ~ '.csv') %}
                {{ exceptions.raise_compiler_error(
                    "Raw input file '" ~ source_node.name ~ ".csv' not found in CRM_RAW_DIR='" ~ raw_dir ~ "'"
                ) }}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
