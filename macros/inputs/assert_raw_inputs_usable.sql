{#-
    Stops the build before any model runs when a declared raw file is missing, naming the
    source, the file and the CRM_RAW_DIR in use. The files are those of the sources declared
    to dbt (crm_quality.ingest declare); the loaders check the same again, and report a missing
    column byte-safely, whatever the file's encoding.
-#}
{% macro assert_raw_inputs_usable() %}
    {% if execute %}
        {#- The same default as the loaders' raw_dir (build_settings). -#}
        {% set raw_dir = env_var('CRM_RAW_DIR', 'data/demo') %}
        {% for source_node in graph.sources.values() if source_node.package_name == project_name %}
            {% set file_name = source_node.meta.get('file') %}
            {% if file_name and not raw_file_exists(raw_dir ~ '/' ~ file_name) %}
                {{ exceptions.raise_compiler_error(
                    "Raw input file '" ~ file_name ~ "' of source '" ~ source_node.name
                    ~ "' not found in CRM_RAW_DIR='" ~ raw_dir ~ "'"
                ) }}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
