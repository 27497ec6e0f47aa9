{#-
    The relation of a project model by name, wherever its config puts it (database, schema,
    alias); the target's schema when the model is not in the project.
-#}
{% macro monitoring_relation(model_name) %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.package_name == project_name and node.name == model_name %}
        {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
    {%- endfor %}
    {{ return(api.Relation.create(database=target.database, schema=target.schema, identifier=model_name)) }}
{% endmacro %}
