using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Conversation.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListAndSummaryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_sender_id_client_message_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_conversations_care_team_id_last_activity_at_id",
                table: "conversations");

            migrationBuilder.CreateIndex(
                name: "ix_read_horizons_reader_id_conversation_id",
                table: "read_horizons",
                columns: new[] { "reader_id", "conversation_id" })
                .Annotation("Npgsql:IndexInclude", new[] { "read_up_to_sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_sender_id_client_message_id",
                table: "messages",
                columns: new[] { "sender_id", "client_message_id" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "conversation_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_care_team_id_last_activity_at_id",
                table: "conversations",
                columns: new[] { "care_team_id", "last_activity_at", "id" },
                descending: new[] { false, true, true })
                .Annotation("Npgsql:IndexInclude", new[] { "patient_id", "status", "message_count" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_read_horizons_reader_id_conversation_id",
                table: "read_horizons");

            migrationBuilder.DropIndex(
                name: "ix_messages_sender_id_client_message_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_conversations_care_team_id_last_activity_at_id",
                table: "conversations");

            migrationBuilder.CreateIndex(
                name: "ix_messages_sender_id_client_message_id",
                table: "messages",
                columns: new[] { "sender_id", "client_message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_care_team_id_last_activity_at_id",
                table: "conversations",
                columns: new[] { "care_team_id", "last_activity_at", "id" },
                descending: new[] { false, true, true });
        }
    }
}
