using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuthenticatorSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuthenticatorSteps",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    LastStep = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuthenticatorSteps", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_AuthenticatorSteps_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuthenticatorSteps");
        }
    }
}
