using System.Text.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using Xunit.Abstractions;

namespace CareMessaging.DeploymentTests.Podman;

/// <summary>
/// The chart's manifests run under podman with two pods of every service behind the gateway: a
/// patient and a clinician sign in through the ingress, the patient writes through one gateway pod
/// and the clinician's pushes arrive through the other, and on connections to each notification
/// pod, whichever pod consumed the event; counters, stats and the audit trail agree.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanRunTests(PodmanCluster cluster, ITestOutputHelper output)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task Two_pods_of_every_service_serve_one_conversation_with_pushes_across_pods()
    {
        var ingress = cluster.Ingress;
        var patientUser = DemoUsers.PatientsOf(CareTeam)[0];
        var clinicianUser = DemoSeed.Current.ClinicianOf(CareTeam);
        using var patient = await SignInAsync(patientUser);
        using var clinician = await SignInAsync(clinicianUser);
        using var officer = await SignInAsync(DemoUsers.ComplianceOfficer);
        using var patientOnFirstGateway = Pinned(patient, 0);
        using var clinicianOnSecondGateway = Pinned(clinician, 1);

        // One connection through the second gateway pod with the session's cookie, and one
        // straight to each notification pod with a token: each event is consumed by one pod, and
        // the Redis backplane must bring the push to the connections on the other.
        var token = cluster.IdentityTokens(ResourceNames.Notification).For(clinicianUser);
        var notificationPods = cluster.Plan.Of(ResourceNames.Notification).ToList();
        await using var throughGateway = await NotificationHubConnection.ConnectAsync(
            ingress.PodAddresses[1], clinician.Cookies,
            configure: options => options.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, certificate, _, _) => ingress.Trusts(certificate));
        await using var onFirstPod = await NotificationHubConnection.ConnectAsync(notificationPods[0].Url, bearerToken: token);
        await using var onSecondPod = await NotificationHubConnection.ConnectAsync(notificationPods[1].Url, bearerToken: token);

        var (conversationId, messages) = await CrossReplicaConversation.WriteAsync(patientOnFirstGateway.Client, patientUser.PatientId!, "Podman run", sends: 5);

        await CrossReplicaConversation.AssertEveryConnectionReceivesEveryMessageAsync([onFirstPod.Pushes, onSecondPod.Pushes, throughGateway.Pushes], messages);
        await CrossReplicaConversation.AssertCountedOnceAsync(clinicianOnSecondGateway.Client, officer.Client, patientUser.PatientId!, conversationId, messages.Count);
        await CrossReplicaConversation.AssertEveryReplicaConsumesAsync(await cluster.Infrastructure.GetConnectionStringAsync(ResourceNames.Messaging), replicas: 2);

        foreach (var (service, relay) in cluster.Services)
        {
            output.WriteLine($"{service}: " + string.Join(", ", relay.Connections.Select(c => $"{c.Key.Address} {c.Value} connections")));
        }

        foreach (var (step, took) in cluster.Timings)
        {
            output.WriteLine($"{step}: {took.TotalSeconds:F0} s");
        }
    }

    [Fact]
    public async Task A_session_survives_the_gateway_pod_it_was_made_on_going_away()
    {
        var patientUser = DemoUsers.PatientsOf(CareTeam)[1];
        using var patient = await SignInAsync(patientUser);
        using var onFirst = Pinned(patient, 0);
        using var onSecond = Pinned(patient, 1);
        var thread = await new ConversationsClient(onFirst.Client)
            .StartAsync(new StartConversationRequest(patientUser.PatientId!, "Gateway pod goes away", "Before", Guid.NewGuid().ToString())).OrThrowAsync();

        var gateway = cluster.Plan.Of(ResourceNames.Gateway).First();
        await PodmanCluster.PodmanAsync($"pod stop -t 10 {gateway.Name}");
        try
        {
            Assert.NotNull(await onSecond.GetSessionAsync());
            var sent = await new ConversationsClient(onSecond.Client).SendAsync(thread.Id, new SendMessageRequest("After", Guid.NewGuid().ToString()));
            Assert.True(sent.Succeeded, sent.Problem?.Detail);
        }
        finally
        {
            // The next test signs in through the ingress, which reaches both gateway pods again.
            await PodmanCluster.PodmanAsync($"pod start {gateway.Name}");
            await PodmanCluster.WaitUntilReadyAsync(gateway);
        }
    }

    [Fact]
    public async Task Every_container_runs_as_the_chart_asks()
    {
        foreach (var pod in cluster.Plan.Pods)
        {
            using var inspected = JsonDocument.Parse(await PodmanCluster.PodmanAsync($"inspect {pod.Container}"));
            var container = inspected.RootElement[0];
            var host = container.GetProperty("HostConfig");
            var limits = cluster.Chart.Named<k8s.Models.V1Deployment>($"caremessaging-{pod.Service}").Spec.Template.Spec.Containers.Single().Resources.Limits;

            Assert.Equal("1654:1654", container.GetProperty("Config").GetProperty("User").GetString());
            Assert.True(host.GetProperty("ReadonlyRootfs").GetBoolean(), $"{pod.Container}: root filesystem is writable");
            Assert.Contains("no-new-privileges", host.GetProperty("SecurityOpt").EnumerateArray().Select(o => o.GetString()));
            // podman reports no capabilities as null.
            var capabilities = container.GetProperty("EffectiveCaps");
            Assert.True(capabilities.ValueKind == JsonValueKind.Null || capabilities.GetArrayLength() == 0, $"{pod.Container} has capabilities {capabilities}");
            Assert.Equal((long)limits["memory"].ToDecimal(), host.GetProperty("Memory").GetInt64());
            Assert.Equal((long)(limits["cpu"].ToDecimal() * 100_000), host.GetProperty("CpuQuota").GetInt64());

            var status = await PodmanCluster.PodmanAsync($"exec {pod.Container} sh -c 'id -u; touch /app/x 2>&1; touch /tmp/x && echo tmp-writable'");
            Assert.StartsWith("1654", status, StringComparison.Ordinal);
            Assert.Contains("Read-only file system", status, StringComparison.Ordinal);
            Assert.Contains("tmp-writable", status, StringComparison.Ordinal);
        }

        var memory = await PodmanCluster.PodmanAsync("stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.CPUPerc}}'");
        output.WriteLine(memory);
    }

    private async Task<GatewayBrowser> SignInAsync(DemoUser user)
    {
        var browser = new GatewayBrowser(cluster.Ingress.PublicAddress, cluster.Ingress.CreateHandler());
        try
        {
            await browser.SignInAsync(user.UserName, DemoUsers.Password);
        }
        catch (InvalidOperationException refused)
        {
            browser.Dispose();
            throw new InvalidOperationException(
                $"{refused.Message}\nThe ingress could not forward: {string.Join("\n", cluster.Ingress.Failures)}\n{await cluster.TailLogsAsync(lines: 40)}", refused);
        }

        return browser;
    }

    /// <summary>The same browser (its cookies) reaching one gateway pod only.</summary>
    private GatewayBrowser Pinned(GatewayBrowser browser, int pod) =>
        browser.PinnedTo(cluster.Ingress.PodAddresses[pod], cluster.Ingress.CreateHandler());
}
