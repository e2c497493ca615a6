// converge: SQL identifier rules for table and column names, so that no SQL can ride in through a
// scenario, and the field-name rule for index documents.

/** A MySQL identifier the harness will quote and use: letter or underscore, then up to 63 more. */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A document field name: like an identifier but never starting with `_` (search metadata). */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Columns the harness owns: the primary key and the row version the write path maintains. */
export const HARNESS_COLUMNS: ReadonlySet<string> = new Set(['id', 'version']);

// MySQL 8 and MariaDB reserved words (the ones that need quoting). Rejected outright even though
// the harness quotes identifiers, so that a scenario's names work in any tool's hand-written SQL.
const RESERVED = new Set(
  `accessible add all alter analyze and as asc asensitive before between bigint binary blob both by
  call cascade case change char character check collate column condition constraint continue convert
  create cross cube cume_dist current_date current_time current_timestamp current_user cursor database
  databases day_hour day_microsecond day_minute day_second dec decimal declare default delayed delete
  dense_rank desc describe deterministic distinct distinctrow div double drop dual each else elseif
  empty enclosed escaped except exists exit explain false fetch first_value float float4 float8 for
  force foreign from fulltext function generated get grant group grouping groups having high_priority
  hour_microsecond hour_minute hour_second if ignore in index infile inner inout insensitive insert int
  int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids io_before_gtids is iterate
  join json_table key keys kill lag last_value lateral lead leading leave left like limit linear lines
  load localtime localtimestamp lock long longblob longtext loop low_priority master_bind
  master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint
  minute_microsecond minute_second mod modifies natural not no_write_to_binlog nth_value ntile null
  numeric of offset on optimize optimizer_costs option optionally or order out outer outfile over
  partition percent_rank precision primary procedure purge range rank read reads read_write real
  recursive references regexp release rename repeat replace require resignal restrict return returning
  revoke right rlike row rows row_number schema schemas second_microsecond select sensitive separator
  set show signal smallint spatial specific sql sqlexception sqlstate sqlwarning sql_big_result
  sql_calc_found_rows sql_small_result ssl starting stored straight_join system table terminated then
  tinyblob tinyint tinytext to trailing trigger true undo union unique unlock unsigned update usage use
  using utc_date utc_time utc_timestamp values varbinary varchar varcharacter varying virtual when where
  while window with write xor year_month zerofill`.split(/\s+/),
);

/** Why `name` is not a usable table or column name, or null when it is. */
export function identifierProblem(name: string): string | null {
  if (!SQL_IDENTIFIER.test(name)) return `"${name}" is not an SQL identifier (${SQL_IDENTIFIER.source})`;
  if (RESERVED.has(name.toLowerCase())) return `"${name}" is an SQL reserved word`;
  return null;
}

/** Why `name` is not a usable document field name, or null when it is. */
export function fieldNameProblem(name: string): string | null {
  return FIELD_NAME.test(name) ? null : `"${name}" is not a document field name (${FIELD_NAME.source})`;
}
