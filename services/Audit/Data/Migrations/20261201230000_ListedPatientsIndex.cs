using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CareMessaging.Audit.Data.Migrations
{
    /// <summary>
    /// An index of the patients each listed page showed (ADR 0018), so that "who viewed this patient"
    /// and a patient's search find the list, search, export and directory pages without reading the
    /// whole trail. Partial: only those records carry a list of patients. The model is unchanged.
    /// </summary>
    public partial class ListedPatientsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The expression and the predicate are those of PatientReads' queries, literal for literal.
            migrationBuilder.Sql(
                """
                CREATE INDEX ix_audit_records_listed_patients ON audit_records
                USING gin (((details::jsonb) -> 'patientIds'))
                WHERE action IN ('conversation.listed', 'patient.directory_listed');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_records_listed_patients;");
        }
    }
}
