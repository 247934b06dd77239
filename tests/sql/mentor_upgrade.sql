-- mentor_upgrade: ALTER EXTENSION mentor UPDATE from every released version
-- ends with exactly the objects a fresh install of the current version has.
-- Released versions: 1.0 (the first).  Each new version adds its upgrade
-- script sql/mentor--A--B.sql and its oldest starting point here.
SET client_min_messages = warning;

-- what the extension consists of, in comparable text
CREATE OR REPLACE FUNCTION public.mentor_shape() RETURNS TABLE (kind text, object text, definition text)
LANGUAGE sql AS $$
	SELECT 'member', pg_describe_object(d.classid, d.objid, d.objsubid), NULL
	FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	WHERE e.extname = 'mentor' AND d.deptype = 'e'
	UNION ALL
	SELECT 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid)
	FROM pg_proc p WHERE p.pronamespace = 'mentor'::regnamespace
	UNION ALL
	SELECT 'column', c.relname || '.' || a.attname,
		format_type(a.atttypid, a.atttypmod) || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
			|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
	WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind IN ('r', 'v')
	UNION ALL
	SELECT 'view', c.relname, pg_get_viewdef(c.oid)
	FROM pg_class c WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind = 'v'
	UNION ALL
	SELECT 'index', c.relname, pg_get_indexdef(c.oid)
	FROM pg_class c WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind = 'i'
	UNION ALL
	SELECT 'constraint', conrelid::regclass || ' ' || conname, pg_get_constraintdef(oid)
	FROM pg_constraint WHERE connamespace = 'mentor'::regnamespace
	UNION ALL
	SELECT 'trigger', tgrelid::regclass || ' ' || tgname, pg_get_triggerdef(oid) || ' ' || tgenabled::text
	FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN
		(SELECT oid FROM pg_class WHERE relnamespace = 'mentor'::regnamespace)
	UNION ALL
	SELECT 'comment', pg_describe_object(classoid, objoid, objsubid), description
	FROM pg_description WHERE objoid IN (SELECT oid FROM pg_class WHERE relnamespace = 'mentor'::regnamespace
		UNION SELECT oid FROM pg_proc WHERE pronamespace = 'mentor'::regnamespace)
	UNION ALL
	SELECT 'config', c.relname, coalesce(f.cond, '')
	FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS f(oid, cond)
	JOIN pg_class c ON c.oid = f.oid WHERE e.extname = 'mentor'
	UNION ALL
	SELECT 'builtin row', 'program ' || code, row(p.*)::text FROM mentor.program p WHERE builtin
	UNION ALL
	SELECT 'builtin row', 'checklist_item ' || item, row(i.*)::text FROM mentor.checklist_item i WHERE builtin
	UNION ALL
	SELECT 'builtin row', 'selection_threshold ' || method, row(t.*)::text FROM mentor.selection_threshold t WHERE builtin
$$;

DROP EXTENSION IF EXISTS mentor CASCADE;
CREATE EXTENSION mentor;
CREATE TEMP TABLE fresh AS SELECT * FROM public.mentor_shape();
SELECT extversion AS current_version FROM pg_extension WHERE extname = 'mentor';

-- from every released version
CREATE TEMP TABLE released (version text);
INSERT INTO released VALUES ('1.0');
CREATE TEMP TABLE differences (from_version text, side text, kind text, object text);
CREATE TEMP TABLE compared (from_version text, objects bigint);
DO $$
DECLARE v text;
BEGIN
	FOR v IN SELECT version FROM released LOOP
		DROP EXTENSION mentor CASCADE;
		EXECUTE format('CREATE EXTENSION mentor VERSION %L', v);
		ALTER EXTENSION mentor UPDATE;
		INSERT INTO differences
		SELECT v, 'only after update', s.kind, s.object
		FROM (SELECT * FROM public.mentor_shape() EXCEPT SELECT * FROM fresh) s
		UNION ALL
		SELECT v, 'only in a fresh install', s.kind, s.object
		FROM (SELECT * FROM fresh EXCEPT SELECT * FROM public.mentor_shape()) s;
		INSERT INTO compared SELECT v, count(*) FROM public.mentor_shape();
	END LOOP;
END $$;
SELECT c.from_version AS updated_from, c.objects > 200 AS compared_all_objects,
	(SELECT count(*) FROM differences d WHERE d.from_version = c.from_version) AS differences
FROM compared c ORDER BY 1;
SELECT * FROM differences ORDER BY 1, 2, 3, 4;
SELECT extversion AS version_after_update FROM pg_extension WHERE extname = 'mentor';
SELECT count(*) > 200 AS shape_is_not_empty FROM fresh;

DROP FUNCTION public.mentor_shape();
RESET client_min_messages;
