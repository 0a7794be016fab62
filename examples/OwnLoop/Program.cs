// A network none of alrs's presets has (a one-convolution CNN), trained on MNIST in a plain
// TorchSharp loop, its learning rate set by a learned alrs policy. For a hand-designed schedule
// change one line: `var schedule = Schedule.Knee(optimizer, steps);` (or Cosine, StepDecay).
// Usage: dotnet run --project examples/OwnLoop -- [POLICY.alrspol] [STEPS]   (MNIST: `alrs data fetch mnist`)
using Alrs.Learning.Data;
using Alrs.Schedules;
using static TorchSharp.torch;

var policy = args.Length > 0 ? args[0] : "docs/results/policies/fmnist/fixes-wide-s1-v40.alrspol";
var steps = args.Length > 1 ? int.Parse(args[1]) : 300;
using var data = DatasetLoader.Load(DatasetInfo.Mnist, DataDirectory.Default, validationSize: 10_000);
var output = nn.Linear(64, 10);
var net = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 13 * 13, 64), nn.ReLU(), output);
var optimizer = optim.Adam(net.parameters(), 1e-3);
var (validationImages, validationLabels) = (data.Validation.Images.narrow(0, 0, 1000), data.Validation.Labels.narrow(0, 0, 1000));
using var schedule = Schedule.Learned(optimizer, policy, new ControllerInputs(() => net.forward(validationImages), validationLabels, output.weight!), steps);
var order = randperm(data.Train.Count, generator: new Generator(1));
for (var step = 0; step < steps; step++)
{
    using var scope = NewDisposeScope();
    var batch = order.narrow(0, step * 128 % (data.Train.Count - 128), 128);
    var loss = nn.functional.cross_entropy(net.forward(data.Train.Images.index_select(0, batch)), data.Train.Labels.index_select(0, batch));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    schedule.step(loss);
    if ((step + 1) % 50 == 0) Console.WriteLine($"step {step + 1}: train loss {loss.item<float>():F4}, learning rate {optimizer.ParamGroups.First().LearningRate:G3}");
}
using (no_grad())
    Console.WriteLine($"test accuracy {net.forward(data.Test.Images.narrow(0, 0, 2000)).argmax(1).eq(data.Test.Labels.narrow(0, 0, 2000)).to(float32).mean().item<float>():P2} (first 2000) after {steps} steps");
