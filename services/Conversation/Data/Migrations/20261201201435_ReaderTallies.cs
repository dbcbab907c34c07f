using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Conversation.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReaderTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reader_tallies",
                columns: table => new
                {
                    reader_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    care_team_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    settled_messages = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reader_tallies", x => new { x.reader_id, x.care_team_id });
                });

            migrationBuilder.Sql(ReaderTallySql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ReaderTallySql.Down);

            migrationBuilder.DropTable(
                name: "reader_tallies");
        }
    }
}
