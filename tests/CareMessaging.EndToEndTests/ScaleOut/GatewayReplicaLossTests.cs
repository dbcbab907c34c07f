using System.Net;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using Xunit.Abstractions;

namespace CareMessaging.EndToEndTests.ScaleOut;

/// <summary>
/// A gateway replica going away (a pod evicted, a process killed) in the scaled-out Aspire model:
/// the sessions it signed in live in Redis and its key ring is shared, so the same cookie keeps
/// working through the other replica. For a while after the kill Aspire's proxy may still hand a
/// new connection to the dead replica (and the AppHost may start it again); a browser then tries
/// again, and so does this test: reads as they are, a send with the same clientMessageId.
/// </summary>
[Collection(ScaledOutCollection.Name)]
public sealed class GatewayReplicaLossTests(ScaledOutStack stack, ITestOutputHelper output)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task A_session_signed_in_on_a_gateway_replica_that_is_killed_keeps_reading_sending_and_receiving_pushes_through_the_other()
    {
        var gateways = await stack.ReplicasOfAsync(ResourceNames.Gateway);
        var (doomed, survivor) = (gateways[0], gateways[1]);
        var patientUser = DemoUsers.PatientsOf(CareTeam)[1];
        using var patient = new GatewayBrowser(stack.GatewayAddress);
        await patient.SignInAsync(patientUser.UserName, DemoUsers.Password);
        using var signedInOnDoomed = new GatewayBrowser(stack.GatewayAddress, stack.TransportTo(doomed));
        await signedInOnDoomed.SignInAsync(DemoSeed.Current.ClinicianOf(CareTeam).UserName, DemoUsers.Password);
        var (conversationId, _) = await CrossReplicaConversation.WriteAsync(patient.Client, patientUser.PatientId!, "Gateway replica lost", sends: 0);
        await new ConversationsClient(signedInOnDoomed.Client).GetAsync(conversationId).OrThrowAsync();

        var killed = await stack.KillReplicaAsync(doomed);
        try
        {

            // Straight to the other replica: the session is there, the first time.
            using var onSurvivor = signedInOnDoomed.PinnedTo(stack.ReplicaAddress(survivor));
            var thread = await new ConversationsClient(onSurvivor.Client).GetAsync(conversationId).OrThrowAsync();
            Assert.Equal(conversationId, thread.Id);
            var reply = new SendMessageRequest("Reply after the gateway replica went away", Guid.NewGuid().ToString());
            var sent = await new ConversationsClient(onSurvivor.Client).SendAsync(conversationId, reply).OrThrowAsync();

            // Through the public address, as the browser goes on: the same send again is the same message.
            using var browser = signedInOnDoomed.PinnedTo(stack.GatewayAddress);
            var again = await UntilAnsweredAsync(() => new ConversationsClient(browser.Client).SendAsync(conversationId, reply).OrThrowAsync());
            Assert.Equal(sent.Id, again.Id);
            var page = await UntilAnsweredAsync(() => new ConversationsClient(browser.Client).MessagesAsync(conversationId).OrThrowAsync());
            Assert.Single(page.Items, m => m.Id == sent.Id);

            // The page's push connection reconnects with the same cookie and receives the patient's next message.
            await using var reconnected = await UntilAnsweredAsync(() => NotificationHubConnection.ConnectAsync(stack.GatewayAddress, signedInOnDoomed.Cookies));
            await using var survivorHub = await NotificationHubConnection.ConnectAsync(stack.ReplicaAddress(survivor), signedInOnDoomed.Cookies);
            var question = new SendMessageRequest("A question after the failover", Guid.NewGuid().ToString());
            var asked = await UntilAnsweredAsync(() => new ConversationsClient(patient.Client).SendAsync(conversationId, question).OrThrowAsync());
            await reconnected.Pushes.AllArrivedAsync([asked.Id]);
            await survivorHub.Pushes.AllArrivedAsync([asked.Id]);
        }
        finally
        {
            // The collection's other tests expect two healthy gateway replicas.
            await stack.BringBackReplicaAsync(doomed, killed);
        }
    }

    /// <summary>
    /// Tries <paramref name="call"/> again while the connection fails or the proxy answers that
    /// its upstream is gone, as a browser retries; any other answer stands.
    /// </summary>
    private async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        var attempts = 1;
        var deadline = DateTime.UtcNow + TestTimeouts.ResourceStart;
        while (true)
        {
            try
            {
                var answer = await call();
                // How often the proxy still chose the dead replica, for whoever reads a slow run.
                output.WriteLine($"answered at attempt {attempts}");
                return answer;
            }
            catch (Exception failure) when (IsConnectionLoss(failure) && DateTime.UtcNow < deadline)
            {
                output.WriteLine($"attempt {attempts++}: {failure.GetType().Name}: {failure.Message}");
                // A browser's back-off before it tries again; each attempt is a new connection,
                // and the proxy's next choice may be the live replica.
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private static bool IsConnectionLoss(Exception failure) => failure switch
    {
        HttpRequestException { StatusCode: null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        IOException or TaskCanceledException or System.Net.WebSockets.WebSocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsConnectionLoss),
        _ => failure.InnerException is { } inner && IsConnectionLoss(inner),
    };
}
