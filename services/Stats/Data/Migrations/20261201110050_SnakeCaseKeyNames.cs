using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Stats.Data.Migrations
{
    /// <summary>
    /// The snake_case naming convention names keys and indexes in lower case (pk_, ix_). The primary
    /// keys are renamed in place rather than dropped and added again as EF would, so no key index of a
    /// large messages table is rebuilt and no row is touched.
    /// </summary>
    public partial class SnakeCaseKeyNames : Migration
    {
        private static readonly string[] Tables = ["processed_events", "conversations", "messages", "read_horizons", "rebuilds"];

        private static readonly (string Table, string Column)[] Indexes =
            [("conversations", "care_team_id"), ("conversations", "patient_id"), ("read_horizons", "user_id")];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} RENAME CONSTRAINT \"PK_{table}\" TO pk_{table};");
            }

            foreach (var (table, column) in Indexes)
            {
                migrationBuilder.RenameIndex(name: $"IX_{table}_{column}", table: table, newName: $"ix_{table}_{column}");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} RENAME CONSTRAINT pk_{table} TO \"PK_{table}\";");
            }

            foreach (var (table, column) in Indexes)
            {
                migrationBuilder.RenameIndex(name: $"ix_{table}_{column}", table: table, newName: $"IX_{table}_{column}");
            }
        }
    }
}
