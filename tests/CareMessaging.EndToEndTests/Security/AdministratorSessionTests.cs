using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.EndToEndTests.Identity;
using Npgsql;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// The gateway's view of who a user is follows the account: claims are read again at each token
/// refresh, and administrative routes need a sign-in of the last few minutes.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AdministratorSessionTests(CareMessagingStack stack)
{
    [Fact]
    public async Task A_demoted_administrator_loses_administrative_power_at_the_next_token_refresh()
    {
        var admin = DemoUsers.Admin;
        await using var gateway = await GatewayHost.StartAsync(stack);
        using var browser = gateway.CreateBrowser();
        await browser.SignInAsync(admin.UserName, DemoUsers.Password);
        using var before = await browser.Client.GetAsync($"/api/admin/users/{DemoUsers.Patients[0].UserId}/sessions");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await SetRoleAsync(admin.UserId, Roles.Staff);
        try
        {
            gateway.Clock.Advance(TimeSpan.FromMinutes(5));
            using var relayed = await browser.Client.GetAsync("/identity/api/account");
            var session = (await browser.GetSessionAsync())!.Value;
            using var after = await browser.Client.GetAsync($"/api/admin/users/{DemoUsers.Patients[0].UserId}/sessions");

            Assert.Equal(HttpStatusCode.OK, relayed.StatusCode);
            Assert.Equal(Roles.Staff, session.GetProperty("role").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        }
        finally
        {
            await SetRoleAsync(admin.UserId, Roles.Admin);
        }
    }

    [Fact]
    public async Task Administrative_routes_ask_for_a_recent_sign_in_and_accept_a_fresh_one()
    {
        var admin = DemoUsers.Admin;
        var path = $"/api/admin/users/{DemoUsers.Patients[1].UserId}/sessions";
        await using var gateway = await GatewayHost.StartAsync(stack);
        using var browser = gateway.CreateBrowser();
        await browser.SignInAsync(admin.UserName, DemoUsers.Password);

        foreach (var minutes in new[] { 10, 10 })
        {
            gateway.Clock.Advance(TimeSpan.FromMinutes(minutes));
            Assert.NotNull(await browser.GetSessionAsync());
        }

        using var stale = await browser.Client.GetAsync(path);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();
        var fresh = await browser.TrySignInAsync(admin.UserName, DemoUsers.Password, signInPath: "/signin?fresh=true&returnUrl=%2Fapi%2Fsession");
        using var afterwards = await browser.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("fresh=true", problem.GetProperty("detail").GetString());
        Assert.True(fresh.SignedIn, $"{(int)fresh.Status} at {fresh.FinalAddress}: {fresh.Error}");
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    private async Task SetRoleAsync(string userId, string role)
    {
        await using var connection = new NpgsqlConnection(await stack.GetConnectionStringAsync(ResourceNames.IdentityDb));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE asp_net_user_claims SET claim_value = $1 WHERE user_id = $2 AND claim_type = $3", connection);
        command.Parameters.AddWithValue(role);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(CareMessagingClaims.Role);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
