// The whole stack under load through the gateway, as ./run.sh starts it: signs eleven members of
// staff in as browsers do, starts 220 conversations, then for each offered rate sends 60-byte
// messages open loop and prints accepted/s, send latency, responses by status, push latency,
// the time until every side effect has caught up, messages lost, CPU seconds per process and
// each service's resident memory.
// Figures go to docs/benchmarks.md.
//
//   dotnet run -c Release --project bench/CareMessaging.LoadBench [-- --rates 100,300,1000,2000,3000 --duration 30]
//   dotnet run -c Release --project bench/CareMessaging.LoadBench -- --quick     (5 s per rate)
//   other options: --senders 11 --conversations 220 --patience 120 --deployed-user-limits
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using CareMessaging.Contracts;
using CareMessaging.LoadBench;
using CareMessaging.Testing;
using HdrHistogram;

var quick = args.Contains("--quick");
var rates = Option("--rates") is { } list ? list.Split(',').Select(int.Parse).ToArray() : [100, 300, 1000, 2000, 3000];
var duration = TimeSpan.FromSeconds(double.Parse(Option("--duration") ?? (quick ? "5" : "30")));
var senderCount = int.Parse(Option("--senders") ?? "11");
var conversationCount = int.Parse(Option("--conversations") ?? "220");
var patience = TimeSpan.FromSeconds(double.Parse(Option("--patience") ?? "120"));

Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {ProcessCpu.LoadAverage()}");
Console.WriteLine($"Rates {string.Join(", ", rates)} msg/s, {duration.TotalSeconds:0} s each, {senderCount} senders, {conversationCount} conversations");
Console.WriteLine("Starting the stack ...");
var startWatch = Stopwatch.StartNew();
await using var stack = await LoadStack.StartAsync(args.Contains("--deployed-user-limits"));
Console.WriteLine($"Stack healthy after {startWatch.Elapsed.TotalSeconds:0} s; state in {stack.StateDirectory}");

var staff = DemoUsers.Staff.Where(user => user.CareTeams.Count > 0).ToList();
var observerUser = staff[0];
var senderUsers = staff.Skip(1).Take(senderCount).ToList();
var gateway = stack.GatewayAddress;
var observer = await Sender.SignInAsync(gateway, observerUser);
var senders = new List<Sender>();
foreach (var user in senderUsers)
{
    senders.Add(await Sender.SignInAsync(gateway, user));
}

var arrivals = new ConcurrentDictionary<Guid, ConcurrentQueue<(string UserId, long At)>>();
foreach (var listener in senders.Append(observer))
{
    await listener.ConnectAsync(arrivals);
}

foreach (var (sender, index) in senders.Select((sender, index) => (sender, index)))
{
    await sender.StartConversationsAsync(conversationCount / senders.Count + (index < conversationCount % senders.Count ? 1 : 0));
}

var compliance = await Sender.SignInAsync(gateway, DemoUsers.ComplianceOfficer);
var truth = await Truth.ConnectAsync(stack, observer);
var cpu = new ProcessCpu(stack.StateDirectory);
var warmup = await truth.WaitUntilCaughtUpAsync(await truth.CountAsync(), Stopwatch.GetTimestamp(), patience);
Console.WriteLine($"Signed in {senders.Count} senders and an observer ({observerUser.UserName}), {senders.Sum(s => s.OwnConversations.Count)} conversations; read models {(warmup.CaughtUp is null ? "NOT caught up" : "caught up")}");
Console.WriteLine("Stack processes: " + string.Join(", ", cpu.Sample().Values.GroupBy(p => p.Name).Select(g => $"{g.Key} x{g.Count()}")));

var teams = senders.Append(observer).ToDictionary(s => s.User.UserId, s => s.User.CareTeams);
var conversationTeam = new Dictionary<Guid, IReadOnlyList<string>>();
foreach (var sender in senders)
{
    foreach (var conversation in sender.OwnConversations)
    {
        conversationTeam[conversation] = sender.User.CareTeams;
    }
}

var failures = 0;
foreach (var rate in rates)
{
    arrivals.Clear();
    var before = await truth.CountAsync();
    var cpuBefore = cpu.Sample();
    var load = await Task.Run(() => OpenLoop.RunAsync(senders, rate, duration));
    var endOfLoad = load.LastCompletion;
    var (caughtUp, after, detail) = await truth.WaitUntilCaughtUpAsync(before, endOfLoad, patience);
    var cpuAfter = cpu.Sample();
    var loadAverage = ProcessCpu.LoadAverage();
    var accepted = load.Accepted.Select(a => a.MessageId).ToList();
    var lost = await truth.MissingAsync(accepted);
    var stored = after.Messages - before.Messages;

    var push = new HdrHistogram.LongHistogram(TimeSpan.FromMinutes(5).Ticks / 10, 3);
    var pushesMissing = 0;
    foreach (var (messageId, scheduled, senderId) in load.Accepted)
    {
        // The first teammate other than the sender to be told of the message.
        var first = arrivals.TryGetValue(messageId, out var seen)
            ? seen.Where(arrival => arrival.UserId != senderId).Select(arrival => (long?)arrival.At).Min()
            : null;
        if (first is { } at)
        {
            push.RecordValue(Math.Min(Stopwatch.GetElapsedTime(scheduled, at).Ticks / 10, push.HighestTrackableValue));
        }
        else
        {
            pushesMissing++;
        }
    }

    var cpuByProcess = ProcessCpu.Between(cpuBefore, cpuAfter);
    var cpuTotal = cpuByProcess.Sum(p => p.Seconds);
    Console.WriteLine();
    Console.WriteLine($"== offered {rate} msg/s for {duration.TotalSeconds:0} s ({load.Attempted} sends), load average after {loadAverage}");
    Console.WriteLine($"   accepted {load.Accepted.Count / duration.TotalSeconds:0} msg/s ({load.Accepted.Count}); stored {stored}; responses {string.Join(", ", load.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
    Console.WriteLine($"   send latency (accepted) p50 {Ms(load.Latency, 50)} p90 {Ms(load.Latency, 90)} p99 {Ms(load.Latency, 99)} max {MaxMs(load.Latency)} ms");
    if (load.RefusalLatency.TotalCount > 0)
    {
        Console.WriteLine($"   refusals p50 {Ms(load.RefusalLatency, 50)} p99 {Ms(load.RefusalLatency, 99)} max {MaxMs(load.RefusalLatency)} ms; without Retry-After: {load.RefusedWithoutRetryAfter}");
    }

    Console.WriteLine($"   push latency (send due -> teammate's messageArrived) p50 {Ms(push, 50)} p90 {Ms(push, 90)} p99 {Ms(push, 99)} max {MaxMs(push)} ms; no push seen for {pushesMissing}");
    Console.WriteLine(caughtUp is { } catchUp
        ? $"   side effects caught up {catchUp.TotalSeconds:0.00} s after the last response (outbox empty; stats, audit, badge equal the truth: {detail})"
        : $"   side effects NOT caught up within {patience.TotalSeconds:0} s: unsent {after.UnsentEvents}, stats {after.StatsMessages - before.StatsMessages}/{stored}, audit {after.AuditedMessages - before.AuditedMessages}/{stored}; {detail}");
    Console.WriteLine($"   messages lost: {lost}");
    Console.WriteLine($"   CPU {cpuTotal:0.0} s in all, {(stored > 0 ? cpuTotal * 1000 / stored : 0):0.00} ms per stored message: "
        + string.Join(", ", cpuByProcess.Where(p => p.Seconds >= 0.05).Select(p => $"{p.Name} {p.Seconds:0.0}")));
    Console.WriteLine("   memory MiB (resident now / peak so far): "
        + string.Join(", ", cpu.ServiceMemory().Select(p => $"{p.Name["CareMessaging.".Length..]} {p.Resident:0}/{p.Peak:0}")));
    if (lost != 0 || caughtUp is null || load.RefusedWithoutRetryAfter > 0)
    {
        failures++;
    }
}

var verification = await compliance.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/audit/verify");
Console.WriteLine();
Console.WriteLine($"Audit chain: {verification}");
if (!verification.GetProperty("valid").GetBoolean())
{
    failures++;
}

foreach (var sender in senders.Append(observer).Append(compliance))
{
    await sender.DisposeAsync();
}

Console.WriteLine(failures == 0 ? "Every rate: nothing lost, every side effect caught up, every refusal said when to retry." : $"{failures} check(s) failed.");
return failures == 0 ? 0 : 1;

string? Option(string name) => Array.IndexOf(args, name) is var index and >= 0 && index + 1 < args.Length ? args[index + 1] : null;

static string Ms(HdrHistogram.LongHistogram histogram, double percentile) =>
    histogram.TotalCount == 0 ? "-" : (histogram.GetValueAtPercentile(percentile) / 1000.0).ToString("0.0");

static string MaxMs(HdrHistogram.LongHistogram histogram) =>
    histogram.TotalCount == 0 ? "-" : (histogram.GetMaxValue() / 1000.0).ToString("0.0");
