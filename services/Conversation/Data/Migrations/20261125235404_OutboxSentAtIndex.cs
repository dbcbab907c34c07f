using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Conversation.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxSentAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent_at",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_sent_at",
                table: "outbox_messages");
        }
    }
}
