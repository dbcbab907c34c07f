using System.Text;
using CareMessaging.Conversation.Tests.Infrastructure;
using Npgsql;

namespace CareMessaging.Conversation.Tests.Encryption;

[Collection(ConversationServiceCollection.Name)]
public sealed class EncryptionAtRestTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Bodies_and_previews_are_not_stored_in_plaintext_anywhere_in_the_database()
    {
        var team = await fixture.CreateTeamAsync();
        var secret = $"Biopsy result {Guid.NewGuid():N}";
        var thread = await team.StaffClient().StartAsync(team.Patients[0].PatientId, "Results", secret);
        await team.PatientClient().SendAsync(thread.Id, $"Reply to {secret}");

        await using var db = await fixture.OpenDatabaseAsync();
        var dump = new StringBuilder();
        foreach (var table in new[] { "messages", "conversations", "outbox_messages", "read_horizons" })
        {
            await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table} t", db);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }

        var text = dump.ToString();
        Assert.Contains(thread.Id.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[14..], text, StringComparison.Ordinal);
        // bytea appears as hex in JSON: the plaintext's bytes must not be there either.
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret[14..])), text, StringComparison.Ordinal);
        Assert.Equal(secret, (await team.StaffClient().ThreadAsync(thread.Id)).Messages.Items[0].Body);
    }

    [Fact]
    public async Task After_rotating_keys_old_rows_stay_readable_and_new_rows_use_the_new_key()
    {
        var team = await fixture.CreateTeamAsync();
        var thread = await team.StaffClient().StartAsync(team.Patients[0].PatientId, "Before rotation", "Sealed with the first key");
        var newKeyId = $"k-{Guid.NewGuid():N}"[..12];
        await using var rotated = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Encryption:ActiveKeyId"] = newKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
            [$"Encryption:Keys:{newKeyId}"] = ConversationServiceFixture.NewKey(),
        });
        using var staff = fixture.Client(fixture.Tokens.Staff(team.StaffIds[0], [team.Id]), rotated);

        var sent = await staff.SendAsync(thread.Id, "Sealed with the new key");
        var read = await staff.ThreadAsync(thread.Id);

        Assert.Equal(["Sealed with the first key", "Sealed with the new key"], read.Messages.Items.Select(m => m.Body));
        Assert.Equal("Sealed with the new key", read.LastMessagePreview);
        await using var db = await fixture.OpenDatabaseAsync();
        Assert.Equal(ConversationServiceFixture.FirstKeyId, await ScalarAsync(db, "SELECT body_key_id FROM messages WHERE id = $1", thread.Messages.Items[0].Id));
        Assert.Equal(newKeyId, await ScalarAsync(db, "SELECT body_key_id FROM messages WHERE id = $1", sent.Id));
        Assert.Equal(newKeyId, await ScalarAsync(db, "SELECT preview_key_id FROM conversations WHERE id = $1", thread.Id));
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection db, string sql, Guid id)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue(id);
        return await command.ExecuteScalarAsync();
    }
}
