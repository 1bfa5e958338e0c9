using L1Net.Serialization;

namespace L1Net.Tests.Reliability;

/// <summary>
/// The bad-input catalogue: every public entry point fed a wrong value. Each case names the exception type and parameter it
/// must produce and a fingerprint of the state the call could have changed (a network's parameter bits, a data set, a file)
/// that must be the same afterwards. docs/reliability.md lists the same cases (checked by <see cref="BadInputCatalogueTests"/>).
/// </summary>
internal static class BadInputCatalogue
{
    /// <summary>One prepared call: what to run, and the state it must leave alone.</summary>
    public sealed record Prepared(Action Act, Func<string> State);

    /// <summary>One catalogue entry.</summary>
    public sealed record Case(string Id, string Input, Type Exception, string? Param, Func<Prepared> Prepare);

    private const string Nothing = "(nothing created)";

    public static IReadOnlyList<Case> All { get; } = Build();

    public static Case Get(string id) => All.Single(c => c.Id == id);

    private static Prepared Pure(Action act) => new(act, () => Nothing);

    private static Prepared OnNetwork(INetwork network, Action act) => new(act, () => Fingerprint(network));

    private static Prepared OnData(Dataset data, Action act) => new(act, () => Fingerprint(data));

    private static string Fingerprint(INetwork n) => Fixtures.Fingerprint(n);

    private static string Fingerprint(Dataset d) => Fixtures.Fingerprint(d);

    /// <summary>Train <paramref name="network"/> on <paramref name="data"/> with <paramref name="options"/>; state = the network's bits.</summary>
    private static Prepared Train(TrainerOptions options, DenseNetwork network, Dataset data, IRegularizer? regularizer = null, IProgress<EpochReport>? progress = null) =>
        OnNetwork(network, () => new BackPropTrainer(options, regularizer).Train(network, data, progress));

    private static Prepared TrainDefault(DenseNetwork network, Dataset data) => Train(new TrainerOptions { Epochs = 3 }, network, data);

    private static TrainerOptions Quick => Q();

    private static TrainerOptions Q(ISampleOrder? order = null, IOutputErrorRule? rule = null) =>
        new() { Epochs = 5, LearningRate = 0.1f, ReportInterval = 1, SampleOrder = order, OutputErrorRule = rule };

    private static List<Case> Build()
    {
        var list = new List<Case>();
        void Add(string id, string input, Type exception, string? param, Func<Prepared> prepare) => list.Add(new Case(id, input, exception, param, prepare));
        Type aoore = typeof(ArgumentOutOfRangeException), ae = typeof(ArgumentException), ane = typeof(ArgumentNullException), ioe = typeof(InvalidOperationException);

        // ---- TrainerOptions (validated by the BackPropTrainer constructor) ----
        Add("options-null", "new BackPropTrainer(null)", ane, "options", () => Pure(() => _ = new BackPropTrainer(null!)));
        Add("options-epochs-zero", "Epochs = 0", aoore, "Epochs", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Epochs = 0 })));
        Add("options-epochs-negative", "Epochs = -1", aoore, "Epochs", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Epochs = -1 })));
        Add("options-rate-zero", "LearningRate = 0", aoore, "LearningRate", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { LearningRate = 0f })));
        Add("options-rate-negative", "LearningRate = -0.1", aoore, "LearningRate", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { LearningRate = -0.1f })));
        Add("options-rate-nan", "LearningRate = NaN", aoore, "LearningRate", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { LearningRate = float.NaN })));
        Add("options-rate-infinite", "LearningRate = +inf", aoore, "LearningRate", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { LearningRate = float.PositiveInfinity })));
        Add("options-batch-zero", "BatchSize = 0", aoore, "BatchSize", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { BatchSize = 0 })));
        Add("options-batch-negative", "BatchSize = int.MinValue", aoore, "BatchSize", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { BatchSize = int.MinValue })));
        Add("options-momentum-negative", "Momentum = -0.5", aoore, "Momentum", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Momentum = -0.5f })));
        Add("options-momentum-one", "Momentum = 1", aoore, "Momentum", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Momentum = 1f })));
        Add("options-momentum-nan", "Momentum = NaN", aoore, "Momentum", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Momentum = float.NaN })));
        Add("options-loss-undefined", "Loss = (LossFunction)7", aoore, "Loss", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Loss = (LossFunction)7 })));
        Add("options-report-zero", "ReportInterval = 0", aoore, "ReportInterval", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { ReportInterval = 0 })));
        Add("options-progress-interval-zero", "ProgressInterval = 0", aoore, "ProgressInterval", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { ProgressInterval = 0 })));
        Add("options-parallelism-zero", "MaxDegreeOfParallelism = 0", aoore, "MaxDegreeOfParallelism", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { MaxDegreeOfParallelism = 0 })));
        Add("options-parallelism-minus-two", "MaxDegreeOfParallelism = -2", aoore, "MaxDegreeOfParallelism", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { MaxDegreeOfParallelism = -2 })));
        Add("options-early-stopping-patience-zero", "EarlyStopping.Patience = 0", aoore, "Patience", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { EarlyStopping = new EarlyStoppingOptions { Validation = Fixtures.Data(), Patience = 0 } })));
        Add("options-early-stopping-tolerance-nan", "EarlyStopping.Tolerance = NaN", aoore, "Tolerance", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { EarlyStopping = new EarlyStoppingOptions { Validation = Fixtures.Data(), Tolerance = double.NaN } })));
        Add("options-early-stopping-tolerance-negative", "EarlyStopping.Tolerance = -0.1", aoore, "Tolerance", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { EarlyStopping = new EarlyStoppingOptions { Validation = Fixtures.Data(), Tolerance = -0.1 } })));
        Add("options-early-stopping-interval-zero", "EarlyStopping.CheckInterval = 0", aoore, "CheckInterval", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { EarlyStopping = new EarlyStoppingOptions { Validation = Fixtures.Data(), CheckInterval = 0 } })));
        Add("options-early-stopping-validation-null", "EarlyStopping.Validation = null", ae, "Validation", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { EarlyStopping = new EarlyStoppingOptions { Validation = null! } })));
        Add("train-early-stopping-validation-shape", "Train with an early-stopping validation set of 4 features for 3-feature data", ae, "data", () => Train(new TrainerOptions { Epochs = 3, EarlyStopping = new EarlyStoppingOptions { Validation = Fixtures.Data(inputs: 4) } }, Fixtures.Network(), Fixtures.Data()));
        Add("options-layer-regularizer-null", "LayerRegularizers = [L1, null]", ae, "LayerRegularizers", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { LayerRegularizers = [Regularizer.L1(0.1f), null!] })));

        // ---- BackPropTrainer.Train ----
        Add("train-network-null", "Train(null, data)", ane, "network", () => Pure(() => new BackPropTrainer(Quick).Train(null!, Fixtures.Data())));
        Add("train-data-null", "Train(network, null)", ane, "data", () =>
        {
            DenseNetwork n = Fixtures.Network();
            return Train(Quick, n, null!);
        });
        Add("train-features-mismatch", "data with 4 features, network with 3 inputs", ae, "data", () => TrainDefault(Fixtures.Network(), Fixtures.Data(inputs: 4)));
        Add("train-targets-mismatch", "data with 2 classes, network with 3 outputs", ae, "data", () => TrainDefault(Fixtures.Network(), Fixtures.Data(classes: 2)));
        Add("train-network-nan", "network holding a NaN parameter", ae, "network", () =>
        {
            DenseNetwork n = Fixtures.Network();
            n.Parameters[5] = float.NaN;
            return TrainDefault(n, Fixtures.Data());
        });
        Add("train-network-infinity", "network holding -inf in a bias", ae, "network", () =>
        {
            DenseNetwork n = Fixtures.Network();
            n.GetBiases(1)[0] = float.NegativeInfinity;
            return TrainDefault(n, Fixtures.Data());
        });
        Add("train-crossentropy-identity-output", "Loss = CrossEntropy with an Identity output layer", ae, "network", () =>
        {
            DenseNetwork n = NetworkBuilder.Input(3).Dense(3, Activation.Identity).Build(new GlorotUniformInitializer(3));
            return Train(new TrainerOptions { Loss = LossFunction.CrossEntropy }, n, Fixtures.Data());
        });
        Add("train-crossentropy-target-above-one", "CrossEntropy, sigmoid output, a target of 2", ae, "data", () =>
        {
            DenseNetwork n = NetworkBuilder.Input(2).Dense(1, Activation.Sigmoid).Build(new GlorotUniformInitializer(3));
            return TrainDefault(n, Dataset.FromTargets(new float[,] { { 0, 1 }, { 1, 0 } }, new float[,] { { 1 }, { 2 } }));
        });
        Add("train-crossentropy-target-negative", "CrossEntropy, sigmoid output, a target of -0.5", ae, "data", () =>
        {
            DenseNetwork n = NetworkBuilder.Input(2).Dense(1, Activation.Sigmoid).Build(new GlorotUniformInitializer(3));
            return TrainDefault(n, Dataset.FromTargets(new float[,] { { 0, 1 }, { 1, 0 } }, new float[,] { { -0.5f }, { 1 } }));
        });
        Add("train-crossentropy-softmax-rows-not-summing-to-one", "CrossEntropy, softmax output, target row (0.5, 0.2)", ae, "data", () =>
        {
            DenseNetwork n = NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(3));
            return TrainDefault(n, Dataset.FromTargets(new float[,] { { 0, 1 }, { 1, 0 } }, new float[,] { { 0.5f, 0.5f }, { 0.5f, 0.2f } }));
        });
        Add("train-layer-regularizers-too-many", "LayerRegularizers with 3 entries for a 2-layer network", ae, "network", () =>
            Train(new TrainerOptions { LayerRegularizers = [Regularizer.None, Regularizer.L1(0.1f), Regularizer.L2(0.1f)] }, Fixtures.Network(), Fixtures.Data()));
        Add("train-layer-regularizers-empty", "LayerRegularizers = [] for a 2-layer network", ae, "network", () =>
            Train(new TrainerOptions { LayerRegularizers = [] }, Fixtures.Network(), Fixtures.Data()));
        Add("train-sample-order-negative-index", "custom ISampleOrder writing -1 (epoch 1)", ioe, null, () =>
            Train(Q(order: new HookedSampleOrder(SequentialSampleOrder.Instance, (_, o) => o[2] = -1)), Fixtures.Network(), Fixtures.Data()));
        Add("train-sample-order-index-too-large", "custom ISampleOrder writing Count, in epoch 3 after 2 trained epochs", ioe, null, () =>
            Train(Q(order: new HookedSampleOrder(SequentialSampleOrder.Instance, (e, o) => o[^1] = e == 3 ? o.Length : o[^1])), Fixtures.Network(), Fixtures.Data()));
        Add("train-regularizer-throws-epoch-3", "custom IRegularizer throwing in epoch 3, mid-step (layer 0 already updated)", typeof(NotSupportedException), null, () =>
        {
            int stepsPerEpoch = 12;
            var throwing = new HookedRegularizer(Regularizer.L1(0.01f), call =>
            {
                // Two layers: two calls per step. Throw at the second layer of the 5th step of epoch 3, after the
                // first layer of that step was already updated.
                if (call == (2 * ((2 * stepsPerEpoch) + 4)) + 2)
                {
                    throw new NotSupportedException("regularizer failure");
                }
            });
            return Train(Quick, Fixtures.Network(), Fixtures.Data(), throwing);
        });
        Add("train-progress-throws-epoch-3", "IProgress throwing from the epoch-3 report", typeof(NotSupportedException), null, () =>
            Train(Quick, Fixtures.Network(), Fixtures.Data(), progress: new SyncProgress(r =>
            {
                if (r.Epoch == 3)
                {
                    throw new NotSupportedException("progress failure");
                }
            })));
        Add("train-output-rule-throws", "custom IOutputErrorRule throwing on its 30th sample", typeof(NotSupportedException), null, () =>
            Train(Q(rule: new ThrowingOutputRule(30)), Fixtures.Network(), Fixtures.Data()));

        // ---- BackPropTrainer.ComputeGradient ----
        Add("gradient-span-short", "ComputeGradient with gradient.Length = ParameterCount - 1", ae, "gradient", () =>
        {
            DenseNetwork n = Fixtures.Network();
            return OnNetwork(n, () => new BackPropTrainer(Quick).ComputeGradient(n, Fixtures.Data(), new float[n.ParameterCount - 1]));
        });
        Add("gradient-span-long", "ComputeGradient with gradient.Length = ParameterCount + 1", ae, "gradient", () =>
        {
            DenseNetwork n = Fixtures.Network();
            return OnNetwork(n, () => new BackPropTrainer(Quick).ComputeGradient(n, Fixtures.Data(), new float[n.ParameterCount + 1]));
        });
        Add("gradient-network-null", "ComputeGradient(null, ...)", ane, "network", () => Pure(() => new BackPropTrainer(Quick).ComputeGradient(null!, Fixtures.Data(), new float[1])));
        Add("gradient-data-mismatch", "ComputeGradient with 4-feature data, 3-input network", ae, "data", () =>
        {
            DenseNetwork n = Fixtures.Network();
            return OnNetwork(n, () => new BackPropTrainer(Quick).ComputeGradient(n, Fixtures.Data(inputs: 4), new float[n.ParameterCount]));
        });

        // ---- DenseNetwork ----
        Add("network-input-zero", "new DenseNetwork(0, ...)", aoore, "inputSize", () => Pure(() => _ = new DenseNetwork(0, [new LayerSpec(2, Activation.Softmax)])));
        Add("network-input-too-large", "new DenseNetwork(MaxLayerSize + 1, ...)", aoore, "inputSize", () => Pure(() => _ = new DenseNetwork(DenseNetwork.MaxLayerSize + 1, [new LayerSpec(2, Activation.Softmax)])));
        Add("network-layers-null", "new DenseNetwork(3, null)", ane, "layers", () => Pure(() => _ = new DenseNetwork(3, null!)));
        Add("network-layers-empty", "new DenseNetwork(3, [])", ae, "layers", () => Pure(() => _ = new DenseNetwork(3, [])));
        Add("network-units-zero", "a layer with 0 units", aoore, "layers", () => Pure(() => _ = new DenseNetwork(3, [new LayerSpec(0, Activation.Tanh), new LayerSpec(2, Activation.Softmax)])));
        Add("network-activation-undefined", "a layer with (Activation)99", aoore, "layers", () => Pure(() => _ = new DenseNetwork(3, [new LayerSpec(2, (Activation)99)])));
        Add("network-softmax-hidden", "Softmax in a hidden layer", ae, "layers", () => Pure(() => _ = new DenseNetwork(3, [new LayerSpec(4, Activation.Softmax), new LayerSpec(2, Activation.Sigmoid)])));
        Add("network-tanh-output", "Tanh in the output layer", ae, "layers", () => Pure(() => _ = new DenseNetwork(3, [new LayerSpec(4, Activation.Tanh)])));
        Add("network-softmax-one-unit", "Softmax output with 1 unit", ae, "layers", () => Pure(() => _ = new DenseNetwork(3, [new LayerSpec(1, Activation.Softmax)])));
        Add("network-too-many-parameters", "MaxLayerSize x MaxLayerSize layer (2^40 weights)", ae, "layers", () => Pure(() => _ = new DenseNetwork(DenseNetwork.MaxLayerSize, [new LayerSpec(DenseNetwork.MaxLayerSize, Activation.Identity)])));
        Add("predict-input-short", "Predict with input of length InputSize - 1", ae, "input", () => Predict(n => n.Predict(new float[2], new float[3])));
        Add("predict-output-long", "Predict with output of length OutputSize + 1", ae, "output", () => Predict(n => n.Predict(new float[3], new float[4])));
        Add("predict-input-nan", "Predict with a NaN input", ae, "input", () => Predict(n => n.Predict([0f, float.NaN, 0f], new float[3])));
        Add("predict-input-infinity", "Predict with a +inf input", ae, "input", () => Predict(n => n.Predict([float.PositiveInfinity, 0f, 0f], new float[3])));
        Add("predict-batch-empty", "PredictBatch with no rows", ae, "inputs", () => Predict(n => n.PredictBatch([], [])));
        Add("predict-batch-partial-row", "PredictBatch with 7 inputs (not a multiple of 3)", ae, "inputs", () => Predict(n => n.PredictBatch(new float[7], new float[6])));
        Add("predict-batch-outputs-short", "PredictBatch with 2 rows but room for 1", ae, "outputs", () => Predict(n => n.PredictBatch(new float[6], new float[3])));
        Add("predict-batch-nan", "PredictBatch with NaN in the second row", ae, "inputs", () => Predict(n => n.PredictBatch([0, 0, 0, 0, float.NaN, 0], new float[6])));
        Add("weights-layer-negative", "GetWeights(-1)", aoore, "layer", () => Predict(n => n.GetWeights(-1)));
        Add("biases-layer-past-end", "GetBiases(Layers.Count)", aoore, "layer", () => Predict(n => n.GetBiases(2)));

        // ---- NetworkBuilder and initializers ----
        Add("builder-input-zero", "NetworkBuilder.Input(0)", aoore, "size", () => Pure(() => NetworkBuilder.Input(0)));
        Add("builder-input-too-large", "NetworkBuilder.Input(MaxLayerSize + 1)", aoore, "size", () => Pure(() => NetworkBuilder.Input(DenseNetwork.MaxLayerSize + 1)));
        Add("builder-units-negative", "Dense(-3, Tanh)", aoore, "units", () => Pure(() => NetworkBuilder.Input(2).Dense(-3, Activation.Tanh)));
        Add("builder-activation-undefined", "Dense(2, (Activation)42)", aoore, "activation", () => Pure(() => NetworkBuilder.Input(2).Dense(2, (Activation)42)));
        Add("builder-no-layers", "Build() with no Dense layer", ioe, null, () => Pure(() => NetworkBuilder.Input(2).Build()));
        Add("builder-initializer-null", "Build(null)", ane, "initializer", () => Pure(() => NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build(null!)));
        Add("builder-initializer-writes-nan", "Build(initializer writing NaN)", ae, "initializer", () => Pure(() => NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build(new NaNInitializer())));
        Add("uniform-low-nan", "new UniformInitializer(NaN, 1, 0)", aoore, "low", () => Pure(() => _ = new UniformInitializer(float.NaN, 1f, 0)));
        Add("uniform-high-not-above-low", "new UniformInitializer(1, 1, 0)", aoore, "high", () => Pure(() => _ = new UniformInitializer(1f, 1f, 0)));
        Add("uniform-high-infinite", "new UniformInitializer(0, +inf, 0)", aoore, "high", () => Pure(() => _ = new UniformInitializer(0f, float.PositiveInfinity, 0)));
        Add("glorot-network-null", "GlorotUniformInitializer.Initialize(null)", ane, "network", () => Pure(() => new GlorotUniformInitializer(1).Initialize(null!)));
        Add("uniform-network-null", "UniformInitializer.Initialize(null)", ane, "network", () => Pure(() => new UniformInitializer(-1, 1, 1).Initialize(null!)));
        Add("uniform-width-overflows", "new UniformInitializer(-3e38, 3e38, 0) (high - low is infinite)", aoore, "high", () => Pure(() => _ = new UniformInitializer(-3e38f, 3e38f, 0)));
        Add("layerinfo-input-zero", "new LayerInfo(0, 2, Tanh)", aoore, "inputSize", () => Pure(() => _ = new LayerInfo(0, 2, Activation.Tanh)));
        Add("layerinfo-units-negative", "new LayerInfo(2, -1, Tanh)", aoore, "outputSize", () => Pure(() => _ = new LayerInfo(2, -1, Activation.Tanh)));
        Add("layerinfo-too-many-parameters", "new LayerInfo(MaxLayerSize, MaxLayerSize, Identity) (WeightCount would overflow)", aoore, "outputSize", () => Pure(() => _ = new LayerInfo(DenseNetwork.MaxLayerSize, DenseNetwork.MaxLayerSize, Activation.Identity)));

        // ---- Regularizers ----
        Add("l1-lambda-negative", "Regularizer.L1(-0.1)", aoore, "lambda", () => Pure(() => Regularizer.L1(-0.1f)));
        Add("l1-lambda-nan", "Regularizer.L1(NaN)", aoore, "lambda", () => Pure(() => Regularizer.L1(float.NaN)));
        Add("l2-lambda-infinite", "Regularizer.L2(+inf)", aoore, "lambda", () => Pure(() => Regularizer.L2(float.PositiveInfinity)));
        Add("l2-lambda-negative", "Regularizer.L2(-1)", aoore, "lambda", () => Pure(() => _ = Regularizer.L2(-1f)));
        Add("elasticnet-l1-negative", "Regularizer.ElasticNet(-1, 0)", aoore, "l1", () => Pure(() => Regularizer.ElasticNet(-1f, 0f)));
        Add("elasticnet-l2-nan", "Regularizer.ElasticNet(0, NaN)", aoore, "l2", () => Pure(() => Regularizer.ElasticNet(0f, float.NaN)));

        // ---- Metrics and WeightStatistics ----
        Add("accuracy-network-null", "Metrics.Accuracy(null, data)", ane, "network", () => Pure(() => Metrics.Accuracy((INetwork)null!, Fixtures.Data())));
        Add("accuracy-data-null", "Metrics.Accuracy(network, null)", ane, "data", () => Predict(n => Metrics.Accuracy(n, null!)));
        Add("accuracy-unlabelled", "Metrics.Accuracy on data without labels", ae, "data", () => Predict(n => Metrics.Accuracy(n, Dataset.FromTargets(new float[,] { { 1, 2, 3 } }, new float[,] { { 0, 1, 0 } }))));
        Add("mse-shape-mismatch", "Metrics.MeanSquaredError with 2-target data, 3-output network", ae, "data", () => Predict(n => Metrics.MeanSquaredError(n, Fixtures.Data(classes: 2))));
        Add("crossentropy-identity-output", "Metrics.CrossEntropy with an Identity output", ae, "network", () =>
        {
            DenseNetwork n = NetworkBuilder.Input(3).Dense(3, Activation.Identity).Build();
            return OnNetwork(n, () => Metrics.CrossEntropy(n, Fixtures.Data()));
        });
        Add("meanloss-undefined", "Metrics.MeanLoss(..., (LossFunction)9)", ae, "loss", () => Predict(n => Metrics.MeanLoss(n, Fixtures.Data(), (LossFunction)9)));
        Add("weightstats-network-null", "WeightStatistics.Compute(null)", ane, "network", () => Pure(() => WeightStatistics.Compute((INetwork)null!)));
        Add("weightstats-threshold-negative", "WeightStatistics.Compute(network, -1)", aoore, "threshold", () => Predict(n => WeightStatistics.Compute(n, -1f)));
        Add("weightstats-threshold-nan", "WeightStatistics.FromValues(span, NaN)", aoore, "threshold", () => Pure(() => WeightStatistics.FromValues(new float[3], float.NaN)));

        // ---- Dataset ----
        Add("labels-features-null", "FromLabels(null, labels, 2)", ane, "features", () => Pure(() => Dataset.FromLabels(null!, [0], 2)));
        Add("labels-labels-null", "FromLabels(features, null, 2)", ane, "labels", () => Pure(() => Dataset.FromLabels(new float[1, 1], null!, 2)));
        Add("labels-class-count-one", "FromLabels(..., classCount: 1)", aoore, "classCount", () => Pure(() => Dataset.FromLabels(new float[1, 1], [0], 1)));
        Add("labels-class-count-absurd", "FromLabels(..., classCount: int.MaxValue)", aoore, "classCount", () => Pure(() => Dataset.FromLabels(new float[1, 1], [0], int.MaxValue)));
        Add("labels-label-too-large", "label 3 with classCount 3", aoore, "labels", () => Pure(() => Dataset.FromLabels(new float[2, 1], [0, 3], 3)));
        Add("labels-label-negative", "label -1", aoore, "labels", () => Pure(() => Dataset.FromLabels(new float[2, 1], [-1, 0], 3)));
        Add("labels-count-mismatch", "3 labels for 2 rows", ae, "labels", () => Pure(() => Dataset.FromLabels(new float[2, 1], [0, 1, 0], 2)));
        Add("labels-features-empty", "features with 0 rows", ae, "features", () => Pure(() => Dataset.FromLabels(new float[0, 3], [], 2)));
        Add("labels-features-nan", "a NaN feature", ae, "features", () => Pure(() => Dataset.FromLabels(new float[,] { { 1 }, { float.NaN } }, [0, 1], 2)));
        Add("labels-features-infinity", "a -inf feature", ae, "features", () => Pure(() => Dataset.FromLabels(new float[,] { { float.NegativeInfinity } }, [0], 2)));
        Add("labels-span-feature-count-zero", "FromLabels(span, featureCount: 0, ...)", aoore, "featureCount", () => Pure(() => Dataset.FromLabels(new float[4], 0, new int[4], 2)));
        Add("labels-span-partial-row", "FromLabels(span of 5, featureCount: 2, ...)", ae, "features", () => Pure(() => Dataset.FromLabels(new float[5], 2, new int[2], 2)));
        Add("onehot-null", "FromOneHot(features, null)", ane, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], null!)));
        Add("onehot-one-column", "one-hot targets with 1 column", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], new float[,] { { 1 } })));
        Add("onehot-two-ones", "one-hot row (1, 1, 0)", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], new float[,] { { 1, 1, 0 } })));
        Add("onehot-no-one", "one-hot row (0, 0, 0)", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], new float[,] { { 0, 0, 0 } })));
        Add("onehot-fractional", "one-hot row (0.5, 0.5)", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], new float[,] { { 0.5f, 0.5f } })));
        Add("onehot-nan", "one-hot row (1, NaN)", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], new float[,] { { 1, float.NaN } })));
        Add("onehot-negative", "one-hot row (-1, 1, 1)", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[1, 1], new float[,] { { -1, 1, 1 } })));
        Add("onehot-row-mismatch", "2 one-hot rows for 3 feature rows", ae, "oneHot", () => Pure(() => Dataset.FromOneHot(new float[3, 1], new float[,] { { 1, 0 }, { 0, 1 } })));
        Add("onehot-features-nan", "FromOneHot with a NaN feature", ae, "features", () => Pure(() => Dataset.FromOneHot(new float[,] { { float.NaN } }, new float[,] { { 1, 0 } })));
        Add("targets-features-null", "FromTargets(null, targets)", ane, "features", () => Pure(() => Dataset.FromTargets(null!, new float[1, 1])));
        Add("targets-nan", "FromTargets with a NaN target", ae, "targets", () => Pure(() => Dataset.FromTargets(new float[1, 1], new float[,] { { float.NaN } })));
        Add("targets-row-mismatch", "1 target row for 2 feature rows", ae, "targets", () => Pure(() => Dataset.FromTargets(new float[2, 1], new float[,] { { 1 } })));
        Add("targets-no-columns", "targets with 0 columns", ae, "targets", () => Pure(() => Dataset.FromTargets(new float[2, 1], new float[2, 0])));
        Add("dataset-row-negative", "GetFeatures(-1)", aoore, "row", () => DataCall(d => d.GetFeatures(-1)));
        Add("dataset-row-past-end", "GetTarget(Count)", aoore, "row", () => DataCall(d => d.GetTarget(d.Count)));
        Add("dataset-label-past-end", "GetLabel(Count)", aoore, "row", () => DataCall(d => d.GetLabel(d.Count)));
        Add("dataset-label-unlabelled", "GetLabel on data without labels", ioe, null, () =>
        {
            Dataset d = Dataset.FromTargets(new float[,] { { 1 } }, new float[,] { { 2 } });
            return OnData(d, () => d.GetLabel(0));
        });
        Add("subset-empty", "Subset([])", ae, "rows", () => DataCall(d => d.Subset([])));
        Add("subset-index-out-of-range", "Subset([0, Count])", aoore, "rows", () => DataCall(d => d.Subset([0, d.Count])));

        // ---- CsvDataset (a CsvFormatException names the line and column; memory stays proportional to the file) ----
        Type csv = typeof(CsvFormatException);
        Add("csv-label-implausible", "rows `1,0` ... `2,65535` with no stated class count (was a 65,536-class one-hot per row)", csv, null, () => Csv("x,label\n1,0\n2,65535\n"));
        Add("csv-label-gap", "labels {1, 5} with no stated class count (was 6 classes)", csv, null, () => Csv("x,label\n1,1\n2,5\n"));
        Add("csv-classes-exceed-array", "40,000 rows with a stated ClassCount of 65,536 (was ArgumentOutOfRangeException)", csv, null, () => Csv(ManyRows(40_000), new CsvDatasetOptions { ClassCount = CsvDataset.MaxClassCount }));
        Add("csv-field-nul", "feature `1\\0` (was read as 1)", csv, null, () => Csv("x,label\n1\0,0\n2,1\n"));
        Add("csv-header-second-bom", "a second byte-order mark before the first column name (was folded into the name)", csv, null, () => Csv("\uFEFFx,label\n1,0\n2,1\n"));
        Add("csv-header-invalid-utf8", "invalid UTF-8 in a header name, read from a file (was accepted as U+FFFD)", csv, null, () => CsvFile([(byte)'x', 0xC3, 0x28, .. ",label\n1,0\n2,1\n"u8]));
        Add("csv-label-underflow", "label `1e-400` (was class 0)", csv, null, () => Csv("x,label\n1,0\n2,1e-400\n3,1\n"));
        Add("csv-error-quotes-prefix", "a duplicated 1,000,000-character column name: the message quotes 64 characters", csv, null, () => Csv($"{new string('n', 1_000_000)},{new string('n', 1_000_000)},label\n1,2,0\n"));

        // ---- NetworkSerializer ----
        Add("save-network-null", "Save(null, stream)", ane, "network", () => Pure(() => NetworkSerializer.Save(null!, new MemoryStream())));
        Add("save-stream-null", "Save(network, null)", ane, "stream", () => Predict(n => NetworkSerializer.Save(n, null!)));
        Add("save-stream-read-only", "Save to a read-only stream", ae, "stream", () => Predict(n => NetworkSerializer.Save(n, new MemoryStream(new byte[16], writable: false))));
        Add("save-network-nan", "Save a network holding NaN (stream stays empty)", ae, "network", () =>
        {
            DenseNetwork n = Fixtures.Network();
            n.Parameters[0] = float.NaN;
            var stream = new MemoryStream();
            return new Prepared(() => NetworkSerializer.Save(n, stream), () => Fingerprint(n) + ":" + stream.Length);
        });
        Add("tojson-network-null", "ToJson(null)", ane, "network", () => Pure(() => NetworkSerializer.ToJson(null!)));
        Add("savefile-path-null", "SaveToFile(network, null)", ane, "path", () => Predict(n => NetworkSerializer.SaveToFile(n, null!)));
        Add("savefile-path-blank", "SaveToFile(network, \"  \")", ae, "path", () => Predict(n => NetworkSerializer.SaveToFile(n, "  ")));
        Add("load-stream-null", "Load(null)", ane, "stream", () => Pure(() => NetworkSerializer.Load(null!)));
        Add("load-stream-write-only", "Load from a write-only stream", ae, "stream", () => Pure(() => NetworkSerializer.Load(new WriteOnlyStream())));
        Add("fromjson-null", "FromJson(null)", ane, "json", () => Pure(() => NetworkSerializer.FromJson(null!)));
        Add("loadfile-path-empty", "LoadFromFile(\"\")", ae, "path", () => Pure(() => NetworkSerializer.LoadFromFile(string.Empty)));
        Add("loadfile-missing", "LoadFromFile(a path that does not exist)", typeof(FileNotFoundException), null, () => Pure(() => NetworkSerializer.LoadFromFile(Path.Combine(Path.GetTempPath(), $"l1net-missing-{Guid.NewGuid():N}.json"))));
        Add("fromjson-not-json", "FromJson(\"{\")", typeof(InvalidDataException), null, () => Pure(() => NetworkSerializer.FromJson("{")));
        Add("fromjson-huge-member-name", "FromJson with a 1 MiB member name (message quotes 64 characters of it)", typeof(InvalidDataException), null, () => Pure(() => NetworkSerializer.FromJson("{\"" + new string('k', 1 << 20) + "\":1}")));
        Add("loadfile-missing-directory", "LoadFromFile(a path in a directory that does not exist)", typeof(DirectoryNotFoundException), null, () => Pure(() => NetworkSerializer.LoadFromFile(Path.Combine(Path.GetTempPath(), $"l1net-missing-{Guid.NewGuid():N}", "model.json"))));
        Add("loadfile-directory", "LoadFromFile(a directory)", typeof(UnauthorizedAccessException), null, () => Pure(() => NetworkSerializer.LoadFromFile(Path.GetTempPath())));
        Add("savefile-missing-directory", "SaveToFile into a directory that does not exist (message names the target)", typeof(DirectoryNotFoundException), null, () => Predict(n => NetworkSerializer.SaveToFile(n, Path.Combine(Path.GetTempPath(), $"l1net-missing-{Guid.NewGuid():N}", "model.json"))));
        Add("options-optimizer-with-learning-rate", "Optimizer and LearningRate both set", ae, "Optimizer", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Optimizer = Optimizer.Adam(), LearningRate = 0.1f })));
        Add("options-optimizer-with-momentum", "Optimizer and Momentum both set", ae, "Optimizer", () => Pure(() => _ = new BackPropTrainer(new TrainerOptions { Optimizer = Optimizer.Sgd(0.1f), Momentum = 0.5f })));
        Add("optimizer-sgd-rate-zero", "Optimizer.Sgd(0)", aoore, "learningRate", () => Pure(() => _ = Optimizer.Sgd(0f)));
        Add("optimizer-sgd-momentum-one", "Optimizer.Sgd(momentum: 1)", aoore, "momentum", () => Pure(() => _ = Optimizer.Sgd(momentum: 1f)));
        Add("optimizer-sgd-dampening-nan", "Optimizer.Sgd(dampening: NaN)", aoore, "dampening", () => Pure(() => _ = Optimizer.Sgd(momentum: 0.9f, dampening: float.NaN)));
        Add("optimizer-sgd-nesterov-without-momentum", "Optimizer.Sgd(nesterov: true)", ae, "nesterov", () => Pure(() => _ = Optimizer.Sgd(nesterov: true)));
        Add("optimizer-sgd-weight-decay-negative", "Optimizer.Sgd(weightDecay: -1)", aoore, "weightDecay", () => Pure(() => _ = Optimizer.Sgd(weightDecay: -1f)));
        Add("optimizer-adam-rate-infinite", "Optimizer.Adam(+inf)", aoore, "learningRate", () => Pure(() => _ = Optimizer.Adam(float.PositiveInfinity)));
        Add("optimizer-adam-beta1-one", "Optimizer.Adam(beta1: 1)", aoore, "beta1", () => Pure(() => _ = Optimizer.Adam(beta1: 1f)));
        Add("optimizer-adam-beta2-negative", "Optimizer.Adam(beta2: -0.1)", aoore, "beta2", () => Pure(() => _ = Optimizer.Adam(beta2: -0.1f)));
        Add("optimizer-adam-epsilon-zero", "Optimizer.Adam(epsilon: 0)", aoore, "epsilon", () => Pure(() => _ = Optimizer.Adam(epsilon: 0f)));
        Add("optimizer-adamw-decay-too-large", "Optimizer.AdamW(0.1, weightDecay: 20)", aoore, "weightDecay", () => Pure(() => _ = Optimizer.AdamW(0.1f, weightDecay: 20f)));

        // ---- Preprocessing, the classification model and model files (format 2) ----
        Add("standardizer-fit-null", "new Standardizer().Fit(null)", ane, "trainingRows", () => Pure(() => new Standardizer().Fit(null!)));
        Add("standardizer-unfitted", "new Standardizer().Transform(data)", ioe, null, () => DataCall(d => new Standardizer().Transform(d)));
        Add("standardizer-row-length", "Transform of 4 values with 3 features", ae, "features", () => Pure(() => Standardizer.FromStatistics([0f, 0f, 0f], [1f, 1f, 1f]).Transform(new float[4], new float[4])));
        Add("standardizer-scale-zero", "FromStatistics(means, [0])", ae, "scales", () => Pure(() => Standardizer.FromStatistics([0f], [0f])));
        Add("model-feature-names-count", "ClassificationModel with 2 names for 3 inputs", ae, "featureNames", () => Predict(n => _ = new ClassificationModel(n, ["a", "b"], ["x", "y", "z"])));
        Add("model-class-names-repeated", "ClassificationModel with class names x, x, z", ae, "classNames", () => Predict(n => _ = new ClassificationModel(n, ["a", "b", "c"], ["x", "x", "z"])));
        Add("model-preprocessor-unfitted", "ClassificationModel { Preprocessor = new Standardizer() }", ae, "Preprocessor", () => Predict(n => _ = new ClassificationModel(n, ["a", "b", "c"], ["x", "y", "z"]) { Preprocessor = new Standardizer() }));
        Add("model-predict-nan", "model.PredictClass([1, NaN, 2])", ae, "features", () => Predict(n => new ClassificationModel(n, ["a", "b", "c"], ["x", "y", "z"]).PredictClass([1f, float.NaN, 2f])));
        Add("model-unknown-class", "model.GetClassIndex(\"w\")", ae, "className", () => Predict(n => new ClassificationModel(n, ["a", "b", "c"], ["x", "y", "z"]).GetClassIndex("w")));
        Add("modelfile-path-blank", "ModelSerializer.SaveToFile(model, \"  \")", ae, "path", () => Predict(n => ModelSerializer.SaveToFile(new ClassificationModel(n, ["a", "b", "c"], ["x", "y", "z"]), "  ")));
        Add("modelfile-not-json", "ModelSerializer.FromJson(\"{\")", typeof(InvalidDataException), null, () => Pure(() => ModelSerializer.FromJson("{")));
        Add("modelfile-save-name-too-long", "ModelSerializer.SaveToFile of a model with a feature name longer than MaxNameLength (the loader would refuse the file)", ae, "model", () => Predict(n => ModelSerializer.SaveToFile(new ClassificationModel(n, ["a", new string('b', ModelSerializer.MaxNameLength + 1), "c"], ["x", "y", "z"]), Path.Combine(Path.GetTempPath(), $"l1net-never-{Guid.NewGuid():N}.json"))));
        Add("modelfile-save-notes-null", "ModelSerializer.ToJson of a model whose Provenance.Notes is null", ae, "model", () => Predict(n => ModelSerializer.ToJson(new ClassificationModel(n, ["a", "b", "c"], ["x", "y", "z"]) { Provenance = new ModelProvenance { Notes = null! } })));
        Add("csv-named-one-class-with-count", "Parse \"a,label / 1,x / 2,x\" with ClassCount = 3 (one named class)", typeof(CsvFormatException), null, () => Csv("a,label\n1,x\n2,x\n", new CsvDatasetOptions { ClassCount = 3 }));
        Add("csv-delimiter-quote", "CsvDatasetOptions { Delimiter = '\"' }", ae, "Delimiter", () => Pure(() => CsvDataset.Parse(new StringReader("a,label\n1,0\n2,1\n"), "t.csv", new CsvDatasetOptions { Delimiter = '"' })));
        Add("csv-label-index-negative", "CsvDatasetOptions { LabelColumnIndex = -1 }", aoore, "LabelColumnIndex", () => Pure(() => CsvDataset.Parse(new StringReader("a,label\n1,0\n2,1\n"), "t.csv", new CsvDatasetOptions { LabelColumnIndex = -1 })));
        Add("csv-class-names-one", "CsvDatasetOptions { ClassNames = [\"x\"] }", ae, "ClassNames", () => Pure(() => CsvDataset.Parse(new StringReader("a,label\n1,x\n"), "t.csv", new CsvDatasetOptions { ClassNames = ["x"] })));
        Add("pruned-predict-row-short", "PrunedNetwork.Predict with a row of OriginalInputSize - 1", ae, "fullRow", () => Pure(() => NetworkPruner.Prune(Fixtures.Network()).Predict(new float[2], new float[3])));
        Add("weightstats-values-nan", "WeightStatistics.FromValues([0.5, NaN])", ae, "values", () => Pure(() => WeightStatistics.FromValues([0.5f, float.NaN])));
        Add("weightstats-network-infinite", "WeightStatistics.Compute of a network with an infinite weight", ae, "network", () => Pure(() =>
        {
            DenseNetwork n = Fixtures.Network();
            n.GetWeights(1)[2] = float.NegativeInfinity;
            WeightStatistics.Compute(n);
        }));

        return list;
    }

    private static Prepared Predict(Action<DenseNetwork> act)
    {
        DenseNetwork n = Fixtures.Network();
        return OnNetwork(n, () => act(n));
    }

    private static Prepared Csv(string text, CsvDatasetOptions? options = null) =>
        Pure(() =>
        {
            try
            {
                CsvDataset.Parse(new StringReader(text), "bad.csv", options);
            }
            catch (CsvFormatException e) when (e.Message.Length > 1000)
            {
                throw new InvalidOperationException($"the message has {e.Message.Length} characters", e);
            }
        });

    private static Prepared CsvFile(byte[] bytes) =>
        Pure(() =>
        {
            string path = Path.Combine(Path.GetTempPath(), $"l1net-catalogue-{Guid.NewGuid():N}.csv");
            File.WriteAllBytes(path, bytes);
            try
            {
                CsvDataset.Load(path);
            }
            finally
            {
                File.Delete(path);
            }
        });

    private static string ManyRows(int rows)
    {
        var sb = new System.Text.StringBuilder("x,label\n");
        for (int r = 0; r < rows; r++)
        {
            sb.Append(r % 10).Append(',').Append(r % 2).Append('\n');
        }

        return sb.ToString();
    }

    private static Prepared DataCall(Action<Dataset> act)
    {
        Dataset d = Fixtures.Data();
        return OnData(d, () => act(d));
    }

    private sealed class NaNInitializer : IParameterInitializer
    {
        public void Initialize(INetwork network) => network.Parameters[^1] = float.NaN;
    }

    private sealed class ThrowingOutputRule(int failAt) : IOutputErrorRule
    {
        private int _calls;

        public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error)
        {
            if (++_calls == failAt)
            {
                throw new NotSupportedException("output rule failure");
            }

            for (int k = 0; k < error.Length; k++)
            {
                error[k] = output[k] - target[k];
            }
        }
    }

    private sealed class WriteOnlyStream : MemoryStream
    {
        public override bool CanRead => false;
    }
}
