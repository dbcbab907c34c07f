using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.ScaleOut;

/// <summary>
/// The whole system with two replicas of every service (AppHost:Replicas=2), as Kubernetes runs
/// it: users sign in through the gateway, write through one gateway replica and read through the
/// other, pushes reach connections on both notification replicas whichever one consumed the
/// event, and counters, stats and the audit trail count every message once.
/// </summary>
[Collection(ScaledOutCollection.Name)]
public sealed class ScaledOutStackTests(ScaledOutStack stack)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task Every_service_runs_two_healthy_replicas_and_each_consuming_service_takes_its_share_of_the_queues()
    {
        using var client = new HttpClient { Timeout = TestTimeouts.Request };
        foreach (var service in ResourceNames.Projects)
        {
            var replicas = await stack.ReplicasOfAsync(service);
            Assert.Equal(ScaledOutStack.ReplicasPerService, replicas.Count);
            foreach (var replica in replicas)
            {
                using var health = await client.GetAsync(new Uri(stack.ReplicaAddress(replica), "/health"));
                Assert.True(health.IsSuccessStatusCode, $"{replica} answers /health with {(int)health.StatusCode}");
            }
        }

        await CrossReplicaConversation.AssertEveryReplicaConsumesAsync(await stack.GetConnectionStringAsync(ResourceNames.Messaging), ScaledOutStack.ReplicasPerService);
    }

    [Fact]
    public async Task Messages_sent_through_one_gateway_replica_push_to_both_notification_replicas_and_count_once_in_unread_stats_and_audit()
    {
        var patientUser = DemoUsers.PatientsOf(CareTeam)[0];
        var clinicianUser = DemoSeed.Current.ClinicianOf(CareTeam);
        using var patient = await SignInAsync(patientUser);
        using var clinician = await SignInAsync(clinicianUser);
        using var officer = await SignInAsync(DemoUsers.ComplianceOfficer);
        var gateways = await stack.ReplicasOfAsync(ResourceNames.Gateway);
        using var patientOnFirstGateway = patient.PinnedTo(stack.ReplicaAddress(gateways[0]));
        using var clinicianOnSecondGateway = clinician.PinnedTo(stack.ReplicaAddress(gateways[1]));

        // One connection through the second gateway replica with the session's cookie, and one
        // straight to each notification replica with a token, so both replicas must push.
        var token = stack.IdentityTokens(ResourceNames.Notification).For(clinicianUser);
        var notifications = await stack.ReplicasOfAsync(ResourceNames.Notification);
        await using var throughGateway = await NotificationHubConnection.ConnectAsync(stack.ReplicaAddress(gateways[1]), clinician.Cookies);
        await using var onFirstReplica = await NotificationHubConnection.ConnectAsync(stack.ReplicaAddress(notifications[0]), bearerToken: token);
        await using var onSecondReplica = await NotificationHubConnection.ConnectAsync(stack.ReplicaAddress(notifications[1]), bearerToken: token);

        var (conversationId, messages) = await CrossReplicaConversation.WriteAsync(patientOnFirstGateway.Client, patientUser.PatientId!, "Scaled out", sends: 5);

        await CrossReplicaConversation.AssertEveryConnectionReceivesEveryMessageAsync([onFirstReplica.Pushes, onSecondReplica.Pushes, throughGateway.Pushes], messages);
        await CrossReplicaConversation.AssertCountedOnceAsync(clinicianOnSecondGateway.Client, officer.Client, patientUser.PatientId!, conversationId, messages.Count);
    }

    private async Task<GatewayBrowser> SignInAsync(DemoUser user)
    {
        var browser = new GatewayBrowser(stack.GatewayAddress);
        await browser.SignInAsync(user.UserName, DemoUsers.Password);
        return browser;
    }
}
