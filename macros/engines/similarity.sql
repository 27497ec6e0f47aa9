{#- String similarity the matching model's levels use. DuckDB has jaro_winkler_similarity and
    levenshtein built in. PostgreSQL has levenshtein only in the fuzzystrmatch extension (shipped
    with the server, limited to 255 characters) and no Jaro-Winkler: the on-run-start hook
    create_similarity_functions() creates both as functions in the target schema. -#}

{#- The name to call Jaro-Winkler similarity by (DuckDB's definition: rapidfuzz, code points,
    prefix of up to 4 weighted 0.1 when the Jaro similarity is above 0.7, 0 for an empty string). -#}
{% macro jaro_winkler_similarity_function() %}
    {{ return(adapter.dispatch('jaro_winkler_similarity_function', 'crm_quality')()) }}
{% endmacro %}

{% macro default__jaro_winkler_similarity_function() %}
    {{ return('jaro_winkler_similarity') }}
{% endmacro %}

{% macro postgres__jaro_winkler_similarity_function() %}
    {{ return(target.schema ~ '.crm_jaro_winkler_similarity') }}
{% endmacro %}

{#- The name to call the Levenshtein distance (in code points) by. -#}
{% macro levenshtein_function() %}
    {{ return(adapter.dispatch('levenshtein_function', 'crm_quality')()) }}
{% endmacro %}

{% macro default__levenshtein_function() %}
    {{ return('levenshtein') }}
{% endmacro %}

{% macro postgres__levenshtein_function() %}
    {{ return(target.schema ~ '.crm_levenshtein') }}
{% endmacro %}

{#- on-run-start: the functions above where the engine lacks them (nothing to do on DuckDB). -#}
{% macro create_similarity_functions() %}
    {{ return(adapter.dispatch('create_similarity_functions', 'crm_quality')()) }}
{% endmacro %}

{% macro default__create_similarity_functions() %}
    select 1
{% endmacro %}

{% macro postgres__create_similarity_functions() %}
    create schema if not exists {{ target.schema }};
    create extension if not exists fuzzystrmatch;

    create or replace function {{ target.schema }}.crm_levenshtein_long(source text, target text)
    returns integer language plpgsql immutable strict parallel safe as $function$
    -- Levenshtein distance in code points for strings fuzzystrmatch refuses (over 255 characters).
    declare
        source_chars text[] := regexp_split_to_array(source, '');
        target_chars text[] := regexp_split_to_array(target, '');
        source_length integer := char_length(source);
        target_length integer := char_length(target);
        previous_row integer[];
        current_row integer[];
    begin
        if source_length = 0 then return target_length; end if;
        if target_length = 0 then return source_length; end if;
        previous_row := array(select generate_series(0, target_length));
        for i in 1..source_length loop
            current_row := array[i];
            for j in 1..target_length loop
                current_row := current_row || least(
                    previous_row[j + 1] + 1,
                    current_row[j] + 1,
                    previous_row[j] + case when source_chars[i] = target_chars[j] then 0 else 1 end
                );
            end loop;
            previous_row := current_row;
        end loop;
        return previous_row[target_length + 1];
    end
    $function$;

    -- fuzzystrmatch's levenshtein, called in whichever schema the extension was installed.
    do $create_levenshtein$
    begin
        execute format(
            $definition$
            create or replace function %1$I.crm_levenshtein(source text, target text)
            returns integer language sql immutable strict parallel safe as $function$
                select case
                    when char_length(source) <= 255 and char_length(target) <= 255
                        then %2$I.levenshtein(source, target)
                    else %1$I.crm_levenshtein_long(source, target)
                end
            $function$
            $definition$,
            {{ sql_text_literal(target.schema) }},
            (
                select pg_namespace.nspname
                from pg_extension
                inner join pg_namespace on pg_extension.extnamespace = pg_namespace.oid
                where pg_extension.extname = 'fuzzystrmatch'
            )
        );
    end
    $create_levenshtein$;

    create or replace function {{ target.schema }}.crm_jaro_winkler_similarity(left_text text, right_text text)
    returns double precision language plpgsql immutable strict parallel safe as $function$
    -- DuckDB's jaro_winkler_similarity (rapidfuzz), term for term and rounded as DuckDB rounds.
    declare
        left_chars text[] := regexp_split_to_array(left_text, '');
        right_chars text[] := regexp_split_to_array(right_text, '');
        left_length integer := char_length(left_text);
        right_length integer := char_length(right_text);
        search_range integer;
        left_matched boolean[];
        right_matched boolean[];
        common integer := 0;
        half_transpositions integer := 0;
        right_position integer := 1;
        prefix integer := 0;
        similarity double precision;
        boost double precision;
        remainder double precision;
        product double precision;
        product_error double precision;
        boost_split double precision;
        boost_high double precision;
        remainder_split double precision;
        remainder_high double precision;
        total double precision;
        total_error double precision;
    begin
        if left_length = 0 or right_length = 0 then return 0; end if;
        search_range := greatest(greatest(left_length, right_length) / 2 - 1, 0);
        left_matched := array_fill(false, array[left_length]);
        right_matched := array_fill(false, array[right_length]);
        for i in 1..left_length loop
            for j in greatest(1, i - search_range)..least(right_length, i + search_range) loop
                if not right_matched[j] and left_chars[i] = right_chars[j] then
                    left_matched[i] := true;
                    right_matched[j] := true;
                    common := common + 1;
                    exit;
                end if;
            end loop;
        end loop;
        if common = 0 then return 0; end if;
        for i in 1..left_length loop
            if left_matched[i] then
                while not right_matched[right_position] loop
                    right_position := right_position + 1;
                end loop;
                if left_chars[i] <> right_chars[right_position] then
                    half_transpositions := half_transpositions + 1;
                end if;
                right_position := right_position + 1;
            end if;
        end loop;
        similarity := (
            (common::double precision / left_length::double precision
                + common::double precision / right_length::double precision)
            + (common - half_transpositions / 2)::double precision / common::double precision
        ) / 3::double precision;
        if similarity > 0.7::double precision then
            while prefix < least(4, left_length, right_length)
                and left_chars[prefix + 1] = right_chars[prefix + 1] loop
                prefix := prefix + 1;
            end loop;
            -- similarity + boost * (1 - similarity) in one rounding, as DuckDB's build computes it
            -- (a fused multiply-add): the exact product (Dekker's two-product), summed exactly.
            boost := prefix::double precision * 0.1::double precision;
            remainder := 1::double precision - similarity;
            product := boost * remainder;
            boost_split := 134217729::double precision * boost;
            boost_high := boost_split - (boost_split - boost);
            remainder_split := 134217729::double precision * remainder;
            remainder_high := remainder_split - (remainder_split - remainder);
            product_error := ((boost_high * remainder_high - product)
                + boost_high * (remainder - remainder_high) + (boost - boost_high) * remainder_high)
                + (boost - boost_high) * (remainder - remainder_high);
            total := product + similarity;
            total_error := (product - (total - (total - product))) + (similarity - (total - product));
            similarity := total + (total_error + product_error);
        end if;
        return similarity;
    end
    $function$
{% endmacro %}
