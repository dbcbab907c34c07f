using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Audit.Data.Migrations
{
    /// <summary>
    /// The key and index names follow the snake_case convention of every service database
    /// (ix_/pk_ instead of IX_/PK_). Columns, data, the chain trigger and its functions stay as they are.
    /// </summary>
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Renamed in place rather than dropped and added again: the trail keeps its key (and the
            // key's index) throughout, and a long trail is not re-indexed.
            migrationBuilder.Sql("""ALTER TABLE audit_records RENAME CONSTRAINT "PK_audit_records" TO pk_audit_records;""");

            migrationBuilder.RenameIndex(
                name: "IX_audit_records_patient_id_action",
                table: "audit_records",
                newName: "ix_audit_records_patient_id_action");

            migrationBuilder.RenameIndex(
                name: "IX_audit_records_occurred_at",
                table: "audit_records",
                newName: "ix_audit_records_occurred_at");

            migrationBuilder.RenameIndex(
                name: "IX_audit_records_event_id",
                table: "audit_records",
                newName: "ix_audit_records_event_id");

            migrationBuilder.RenameIndex(
                name: "IX_audit_records_actor_id_occurred_at",
                table: "audit_records",
                newName: "ix_audit_records_actor_id_occurred_at");

            migrationBuilder.RenameIndex(
                name: "IX_audit_records_action_occurred_at",
                table: "audit_records",
                newName: "ix_audit_records_action_occurred_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE audit_records RENAME CONSTRAINT pk_audit_records TO "PK_audit_records";""");

            migrationBuilder.RenameIndex(
                name: "ix_audit_records_patient_id_action",
                table: "audit_records",
                newName: "IX_audit_records_patient_id_action");

            migrationBuilder.RenameIndex(
                name: "ix_audit_records_occurred_at",
                table: "audit_records",
                newName: "IX_audit_records_occurred_at");

            migrationBuilder.RenameIndex(
                name: "ix_audit_records_event_id",
                table: "audit_records",
                newName: "IX_audit_records_event_id");

            migrationBuilder.RenameIndex(
                name: "ix_audit_records_actor_id_occurred_at",
                table: "audit_records",
                newName: "IX_audit_records_actor_id_occurred_at");

            migrationBuilder.RenameIndex(
                name: "ix_audit_records_action_occurred_at",
                table: "audit_records",
                newName: "IX_audit_records_action_occurred_at");
        }
    }
}
