using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.EndToEndTests.Faults;

/// <summary>
/// A steady workload through the gateway, as a ward uses it: a clinician and a patient writing in
/// one conversation, a nurse in another, each a few messages a second, and a teammate reading both.
/// Every send is retried with its clientMessageId until it is acknowledged, waiting as long as
/// Retry-After says, as a real client would; a user whose session is lost signs in again. What was
/// acknowledged, and every answer the clients got, is kept for the assertions.
/// </summary>
public sealed class SteadySends : IAsyncDisposable
{
    /// <summary>Messages a second from each sender.</summary>
    public const double RatePerSender = 4;

    private static readonly TimeSpan GiveUpOnMessage = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(5);

    private readonly CareMessagingStack _stack;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, MessageView> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly List<Task> _loops = [];
    private readonly List<Sender> _senders = [];
    private long _attempts;
    private long _failedAttempts;
    private long _signInsAgain;
    private TimeSpan _slowestAttempt;

    private SteadySends(CareMessagingStack stack, string run) => (_stack, Run) = (stack, run);

    /// <summary>Marks every message body of this run.</summary>
    public string Run { get; }

    /// <summary>The conversations written in, by id.</summary>
    public IReadOnlyList<Guid> Conversations { get; private set; } = [];

    /// <summary>The patients of those conversations, for the audit trail.</summary>
    public IReadOnlyList<string> PatientIds { get; private set; } = [];

    /// <summary>Every message the service acknowledged, by its clientMessageId.</summary>
    public IReadOnlyDictionary<string, MessageView> Acknowledged => _acknowledged;

    public int AcknowledgedCount => _acknowledged.Count;

    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>How many times each status (or "timeout", "connection") was answered to a send attempt.</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    /// <summary>Answers no outage may give: 500s, answers without Retry-After, client errors.</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    /// <summary>The users whose views must agree afterwards: the senders, the reader and a teammate who only watches.</summary>
    public static IReadOnlyList<DemoUser> Watchers =>
    [
        DemoUsers.ByUserName("sarah.chen"), DemoUsers.ByUserName("james.okafor"), DemoUsers.ByUserName("maria.lopez"),
        DemoUsers.ByUserName("david.miller"), DemoUsers.PatientsOf("cardiology")[0], DemoUsers.PatientsOf("cardiology")[1],
    ];

    public static async Task<SteadySends> StartAsync(CareMessagingStack stack)
    {
        var workload = new SteadySends(stack, $"run-{Guid.NewGuid():N}"[..16]);
        var clinician = await Sender.SignInAsync(stack, DemoUsers.ByUserName("sarah.chen"));
        var nurse = await Sender.SignInAsync(stack, DemoUsers.ByUserName("maria.lopez"));
        var firstPatient = DemoUsers.PatientsOf("cardiology")[0];
        var secondPatient = DemoUsers.PatientsOf("cardiology")[1];
        var patient = await Sender.SignInAsync(stack, firstPatient);
        var reader = await Sender.SignInAsync(stack, DemoUsers.ByUserName("james.okafor"));
        workload._senders.AddRange([clinician, nurse, patient, reader]);

        var withFirst = await clinician.Client.StartAsync(new StartConversationRequest(
            firstPatient.PatientId, $"Follow-up {workload.Run}", $"{workload.Run} opening", Guid.NewGuid().ToString())).OrThrowAsync();
        var withSecond = await nurse.Client.StartAsync(new StartConversationRequest(
            secondPatient.PatientId, $"Wound care {workload.Run}", $"{workload.Run} opening", Guid.NewGuid().ToString())).OrThrowAsync();
        workload.Conversations = [withFirst.Id, withSecond.Id];
        workload.PatientIds = [firstPatient.PatientId!, secondPatient.PatientId!];

        workload._loops.Add(workload.SendLoopAsync(clinician, withFirst.Id));
        workload._loops.Add(workload.SendLoopAsync(patient, withFirst.Id));
        workload._loops.Add(workload.SendLoopAsync(nurse, withSecond.Id));
        workload._loops.Add(workload.ReadLoopAsync(reader));
        return workload;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages of this run are acknowledged.</summary>
    public Task<int> AcknowledgedAtLeastAsync(int count) =>
        Eventually.Until(() => Task.FromResult(AcknowledgedCount), n => n >= count, TestTimeouts.ResourceStart);

    /// <summary>Waits until the workload has felt a fault: at least <paramref name="count"/> attempts failed.</summary>
    public Task<long> FailedAtLeastAsync(long count) =>
        Eventually.Until(() => Task.FromResult(FailedAttempts), n => n >= count, TestTimeouts.ResourceStart);

    /// <summary>Stops starting new messages, lets every message in flight be acknowledged, and signs the users out of the test.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(GiveUpOnMessage + TestTimeouts.Request);
    }

    public string Describe() =>
        $"{AcknowledgedCount} acknowledged in {Interlocked.Read(ref _attempts)} attempts, {FailedAttempts} failed " +
        $"({string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}), " +
        $"{Interlocked.Read(ref _signInsAgain)} sign-ins again, slowest attempt {_slowestAttempt.TotalSeconds:0.0} s";

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
            await Task.WhenAll(_loops).WaitAsync(GiveUpOnMessage + TestTimeouts.Request);
        }

        foreach (var sender in _senders)
        {
            sender.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task SendLoopAsync(Sender sender, Guid conversationId)
    {
        var interval = TimeSpan.FromSeconds(1 / RatePerSender);
        while (!_stopping.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var clientMessageId = Guid.NewGuid().ToString();
            await SendUntilAcknowledgedAsync(sender, conversationId, clientMessageId);
            var rest = interval - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero && !_stopping.IsCancellationRequested)
            {
                // The pace of the workload, not a wait for anything to happen.
                await Task.Delay(rest, CancellationToken.None);
            }
        }
    }

    private async Task SendUntilAcknowledgedAsync(Sender sender, Guid conversationId, string clientMessageId)
    {
        var request = new SendMessageRequest($"{Run} {clientMessageId}", clientMessageId);
        var deadline = Stopwatch.GetTimestamp() + (long)(GiveUpOnMessage.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 1; Stopwatch.GetTimestamp() < deadline; attempt++)
        {
            Interlocked.Increment(ref _attempts);
            var started = Stopwatch.GetTimestamp();
            var (answer, retryAfter, view) = await AttemptAsync(sender, conversationId, request);
            RecordSlowest(Stopwatch.GetElapsedTime(started));
            if (view is not null)
            {
                _acknowledged[clientMessageId] = view;
                return;
            }

            Interlocked.Increment(ref _failedAttempts);
            _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
            if (answer == "401")
            {
                // The session was lost (it lived in the Redis that was flushed): sign in again, as the user would.
                await sender.SignInAgainAsync();
                Interlocked.Increment(ref _signInsAgain);
                continue;
            }

            await Task.Delay(retryAfter ?? Backoff(attempt), CancellationToken.None);
        }

        _unexpected.Enqueue($"{clientMessageId} was never acknowledged within {GiveUpOnMessage.TotalMinutes} minutes");
    }

    private async Task<(string Answer, TimeSpan? RetryAfter, MessageView? View)> AttemptAsync(Sender sender, Guid conversationId, SendMessageRequest request)
    {
        try
        {
            using var response = await sender.Http.PostAsJsonAsync($"{ConversationsClient.ConversationsPath}/{conversationId}/messages", request, ServiceResponses.Json);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return ("ok", null, await response.Content.ReadFromJsonAsync<MessageView>(ServiceResponses.Json));
            }

            var retryAfter = response.Headers.RetryAfter?.Delta;
            var body = await response.Content.ReadAsStringAsync();
            if ((status is 503 or 504 or 429) && retryAfter is null)
            {
                _unexpected.Enqueue($"{status} without Retry-After: {body}");
            }
            else if (status is not (401 or 503 or 504 or 429))
            {
                _unexpected.Enqueue($"{status}: {body}");
            }

            return (status.ToString(System.Globalization.CultureInfo.InvariantCulture), retryAfter is { } delay && delay > LongestBackoff ? LongestBackoff : retryAfter, null);
        }
        catch (TaskCanceledException)
        {
            _unexpected.Enqueue($"a send hung until the client gave up after {TestTimeouts.Request.TotalSeconds:0} s");
            return ("timeout", null, null);
        }
        catch (HttpRequestException exception)
        {
            // The gateway itself does not answer (it is never killed here, so this would be a fault).
            _unexpected.Enqueue($"the gateway did not answer: {exception.Message}");
            return ("connection", null, null);
        }
    }

    private async Task ReadLoopAsync(Sender reader)
    {
        while (!_stopping.IsCancellationRequested)
        {
            foreach (var conversationId in Conversations)
            {
                try
                {
                    var thread = await reader.Client.GetAsync(conversationId);
                    if (thread.Value?.Messages.Items.MaxBy(m => m.Sequence) is { } latest)
                    {
                        await reader.Client.MarkReadAsync(conversationId, latest.Id);
                    }
                    else if (thread.Problem?.Status == (int)HttpStatusCode.Unauthorized)
                    {
                        await reader.SignInAgainAsync();
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // A reader during an outage simply tries again at the next round.
                }
            }

            // The reader's pace: a teammate glancing at the two threads every second or two.
            await Task.Delay(TimeSpan.FromSeconds(1.5), CancellationToken.None);
        }
    }

    private void RecordSlowest(TimeSpan elapsed)
    {
        lock (_senders)
        {
            if (elapsed > _slowestAttempt)
            {
                _slowestAttempt = elapsed;
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * Math.Pow(2, Math.Min(attempt, 5))));

    /// <summary>One signed-in user of the workload.</summary>
    private sealed class Sender(CareMessagingStack stack, DemoUser user, GatewayBrowser browser) : IDisposable
    {
        private GatewayBrowser _browser = browser;

        public HttpClient Http => _browser.Client;

        public ConversationsClient Client => new(_browser.Client);

        /// <summary>Signs in, retried while the stack is still recovering from an earlier fault (a sign-in needs the broker).</summary>
        public static async Task<Sender> SignInAsync(CareMessagingStack stack, DemoUser user) =>
            new(stack, user, await SignInRetryingAsync(stack, user));

        /// <summary>A new browser session, as the user would start after losing one.</summary>
        public async Task SignInAgainAsync()
        {
            var browser = await SignInRetryingAsync(stack, user);
            var old = _browser;
            _browser = browser;
            old.Dispose();
        }

        private static async Task<GatewayBrowser> SignInRetryingAsync(CareMessagingStack stack, DemoUser user)
        {
            var browser = GatewayBrowser.For(stack);
            var outcome = await Eventually.Until(async () =>
            {
                try
                {
                    return await browser.TrySignInAsync(user.UserName, DemoUsers.Password);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, o => o?.SignedIn == true, TestTimeouts.ResourceStart);
            if (outcome?.SignedIn != true)
            {
                browser.Dispose();
                throw new InvalidOperationException($"{user.UserName} could not sign in: {(int?)outcome?.Status} {outcome?.Error}");
            }

            return browser;
        }

        public void Dispose() => _browser.Dispose();
    }
}
