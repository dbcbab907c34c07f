using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CareMessaging.Audit.Data.Migrations
{
    /// <inheritdoc />
    public partial class TamperEvidentTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "audit_records",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn);

            migrationBuilder.AddColumn<string>(
                name: "client_ip",
                table: "audit_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "conversation_id",
                table: "audit_records",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "correlation_id",
                table: "audit_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "details",
                table: "audit_records",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "hash",
                table: "audit_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "patient_id",
                table: "audit_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_hash",
                table: "audit_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_action_occurred_at",
                table: "audit_records",
                columns: new[] { "action", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_actor_id_occurred_at",
                table: "audit_records",
                columns: new[] { "actor_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_patient_id_action",
                table: "audit_records",
                columns: new[] { "patient_id", "action" });

            migrationBuilder.Sql(TamperEvidenceSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TamperEvidenceSql.Down);

            migrationBuilder.DropIndex(
                name: "IX_audit_records_action_occurred_at",
                table: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_audit_records_actor_id_occurred_at",
                table: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_audit_records_patient_id_action",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "client_ip",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "conversation_id",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "correlation_id",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "details",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "patient_id",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "previous_hash",
                table: "audit_records");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "audit_records",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn);
        }
    }
}
