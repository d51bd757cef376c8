// Every --fold-bn / --fuse-activations pattern, with random constants;
// used by graph-passes.test.

func.func @conv_bn_relu(%x: tensor<1x6x6x3xf32>) -> tensor<1x6x6x4xf32> {
  %w = arith.constant dense<[[[[-0.74286, -0.00144428, 0.202997], [-0.942622, -0.704148, 0.856422], [-0.859159, -0.740452, 0.896657]], [[0.243767, -0.262014, 0.02278], [0.325686, -0.449382, -0.724064], [0.576079, 0.340721, 0.0247646]], [[0.633473, 0.0981505, 0.961827], [-0.590981, 0.107461, -0.0327506], [-0.29345, 0.183191, -0.529398]]], [[[0.604405, 0.734667, -0.742481], [-0.0658536, -0.44571, -0.833766], [0.791889, -0.140103, -0.704617]], [[0.346725, -0.595568, 0.802862], [-0.565704, -0.933851, -0.598462], [-0.308504, -0.0621837, 0.812269]], [[0.394722, -0.321359, -0.966246], [-0.680353, 0.992872, -0.080568], [0.38208, -0.890664, -0.931899]]], [[[0.69178, 0.175764, -0.382581], [-0.365247, -0.821526, -0.654661], [-0.950828, 0.67825, -0.0673936]], [[-0.745594, 0.478494, -0.608694], [-0.87616, 0.196784, 0.791516], [-0.946113, 0.610272, -0.61966]], [[-0.814197, -0.964076, -0.41405], [0.454223, -0.0136421, 0.70584], [-0.565577, -0.369635, -0.483718]]], [[[0.956602, 0.882012, -0.318628], [-0.127997, -0.371361, 0.493018], [-0.919974, -0.865122, -0.191925]], [[-0.509812, 0.69045, 0.483614], [0.091588, 0.322951, 0.384558], [0.56211, 0.855005, -0.70053]], [[0.25226, -0.712757, -0.113738], [0.57257, 0.789396, 0.518456], [-0.929184, -0.281176, -0.673886]]]]> : tensor<4x3x3x3xf32>
  %bias = arith.constant dense<[0.997605, -0.711969, -0.511371, -0.285561]> : tensor<4xf32>
  %g = arith.constant dense<[0.560887, 1.37038, 1.13636, 0.659748]> : tensor<4xf32>
  %b = arith.constant dense<[-0.00346288, -0.84266, 0.22196, -0.536674]> : tensor<4xf32>
  %m = arith.constant dense<[-0.922722, -0.769525, 0.110525, 0.273961]> : tensor<4xf32>
  %v = arith.constant dense<[0.784641, 1.35821, 0.833719, 0.435186]> : tensor<4xf32>
  %y = qops.conv2d %x, %w, %bias stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : (tensor<1x6x6x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x6x6x4xf32>
  %z = qops.batch_norm %y, %g, %b, %m, %v epsilon 1.0e-3 : tensor<1x6x6x4xf32>, tensor<4xf32>
  %r = qops.relu %z : tensor<1x6x6x4xf32>
  return %r : tensor<1x6x6x4xf32>
}

func.func @depthwise_bn_relu6(%x: tensor<1x5x5x4xf32>) -> tensor<1x3x3x4xf32> {
  %w = arith.constant dense<[[[[-0.739159], [-0.418927], [1.65056]], [[-1.53736], [-1.65534], [0.246008]], [[1.85357], [1.62902], [0.800976]]], [[[-1.733], [1.22561], [0.733499]], [[-1.42428], [-0.140225], [-1.80271]], [[1.2075], [0.874537], [1.21851]]], [[[1.04166], [-0.93097], [1.15896]], [[-1.00332], [-1.44842], [-0.43844]], [[-0.00863859], [-0.856711], [0.423132]]], [[[0.410015], [-1.04073], [0.49027]], [[-0.570988], [0.938758], [-0.838328]], [[1.19517], [-0.339558], [0.212961]]]]> : tensor<4x3x3x1xf32>
  %g = arith.constant dense<[1.17335, 1.01838, 0.757618, 1.47938]> : tensor<4xf32>
  %b = arith.constant dense<[-0.807889, -0.350153, 0.0982246, -0.942599]> : tensor<4xf32>
  %m = arith.constant dense<[-0.690174, 0.598529, 0.567629, 0.273933]> : tensor<4xf32>
  %v = arith.constant dense<[1.82324, 1.55994, 0.737812, 1.36076]> : tensor<4xf32>
  %y = qops.conv2d %x, %w stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 4 : (tensor<1x5x5x4xf32>, tensor<4x3x3x1xf32>) -> tensor<1x3x3x4xf32>
  %z = qops.batch_norm %y, %g, %b, %m, %v epsilon 1.0e-5 : tensor<1x3x3x4xf32>, tensor<4xf32>
  %r = qops.relu6 %z : tensor<1x3x3x4xf32>
  return %r : tensor<1x3x3x4xf32>
}

func.func @grouped_bn(%x: tensor<1x4x4x6xf32>) -> tensor<1x4x4x4xf32> {
  %w = arith.constant dense<[[[[-0.319835, 0.499689, -0.230413]]], [[[-0.693513, 0.752913, 0.380811]]], [[[0.489357, 0.119196, 0.565883]]], [[[-0.104253, 0.131586, -0.874872]]]]> : tensor<4x1x1x3xf32>
  %bias = arith.constant dense<[0.110137, 0.629207, 0.411091, 0.606304]> : tensor<4xf32>
  %g = arith.constant dense<[0.996099, 1.38134, 0.608302, 1.3757]> : tensor<4xf32>
  %b = arith.constant dense<[-0.257457, -0.818075, 0.238666, -0.0902148]> : tensor<4xf32>
  %m = arith.constant dense<[-0.143255, 0.704058, -0.724417, 0.23387]> : tensor<4xf32>
  %v = arith.constant dense<[0.94475, 1.15087, 1.09894, 0.441432]> : tensor<4xf32>
  %y = qops.conv2d %x, %w, %bias stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 2 : (tensor<1x4x4x6xf32>, tensor<4x1x1x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %z = qops.batch_norm %y, %g, %b, %m, %v epsilon 1.0e-5 : tensor<1x4x4x4xf32>, tensor<4xf32>
  return %z : tensor<1x4x4x4xf32>
}

func.func @fc_bn_clamp(%x: tensor<2x8xf32>) -> tensor<2x5xf32> {
  %w = arith.constant dense<[[0.0240308, 0.724211, -0.657531, -0.977062, -0.864869, -0.0804086, 0.948904, -0.911526], [0.981859, 0.0721062, -0.759719, -0.162921, -0.58528, 0.428303, 0.0830274, -0.42408], [-0.489155, 0.733954, 0.532484, -0.12763, -0.188978, 0.474946, 0.941469, -0.840815], [-0.681833, -0.275347, 0.0154296, -0.857183, -0.893021, -0.561076, -0.228081, 0.478564], [0.219829, -0.941592, -0.909974, -0.0959405, 0.749701, 0.829994, -0.269789, 0.774745]]> : tensor<5x8xf32>
  %g = arith.constant dense<[1.42912, 0.906614, 1.24607, 0.865342, 0.653577]> : tensor<5xf32>
  %b = arith.constant dense<[0.150396, -0.827155, 0.326706, 0.6184, 0.830812]> : tensor<5xf32>
  %m = arith.constant dense<[-0.10395, -0.76523, 0.804983, 0.74074, 0.93522]> : tensor<5xf32>
  %v = arith.constant dense<[1.26916, 1.41213, 0.871903, 0.529645, 0.725087]> : tensor<5xf32>
  %y = qops.fully_connected %x, %w : (tensor<2x8xf32>, tensor<5x8xf32>) -> tensor<2x5xf32>
  %z = qops.batch_norm %y, %g, %b, %m, %v epsilon 1.0e-5 : tensor<2x5xf32>, tensor<5xf32>
  %c = qops.clamp %z min -0.5 max 0.75 : tensor<2x5xf32>
  return %c : tensor<2x5xf32>
}

func.func @batched_matmul_bn(%a: tensor<2x3x4xf32>) -> tensor<2x3x5xf32> {
  %w = arith.constant dense<[[[0.441313, -0.350033, 0.383173, 0.00431842, -0.102008], [0.935256, -0.667819, -0.0256784, -0.680571, 0.874914], [-0.0227612, -0.336068, -0.663359, 0.188201, -0.202082], [-0.74564, -0.935252, -0.217395, 0.166337, 0.0376502]], [[0.800056, 0.823237, 0.872595, 0.599385, -0.0447684], [0.0475902, -0.20537, -0.200912, -0.916841, 0.597645], [-0.507959, -0.941322, -0.0670413, 0.435712, -0.127936], [-0.271733, 0.317054, -0.67429, -0.977336, 0.184846]]]> : tensor<2x4x5xf32>
  %g = arith.constant dense<[1.03045, 1.36582, 0.91587, 1.28612, 0.517926]> : tensor<5xf32>
  %b = arith.constant dense<[-0.945444, 0.197131, -0.547521, -0.865469, -0.744501]> : tensor<5xf32>
  %m = arith.constant dense<[-0.250514, -0.325726, 0.127585, 0.775191, -0.268645]> : tensor<5xf32>
  %v = arith.constant dense<[0.531482, 1.24045, 0.203884, 0.892673, 0.771026]> : tensor<5xf32>
  %y = qops.matmul %a, %w : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %z = qops.batch_norm %y, %g, %b, %m, %v epsilon 1.0e-5 : tensor<2x3x5xf32>, tensor<5xf32>
  return %z : tensor<2x3x5xf32>
}

func.func @bn_affine(%x: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %g = arith.constant dense<[0.887391, 0.550801, 1.05422, 1.12417]> : tensor<4xf32>
  %b = arith.constant dense<[0.498931, 0.914907, -0.290515, 0.31258]> : tensor<4xf32>
  %m = arith.constant dense<[-0.115916, -0.569905, 0.77859, 0.491813]> : tensor<4xf32>
  %v = arith.constant dense<[1.89702, 1.67878, 1.85144, 0.430486]> : tensor<4xf32>
  %r = qops.relu %x : tensor<1x3x3x4xf32>
  %z = qops.batch_norm %r, %g, %b, %m, %v epsilon 1.0e-5 : tensor<1x3x3x4xf32>, tensor<4xf32>
  return %z : tensor<1x3x3x4xf32>
}

func.func @add_relu(%a: tensor<2x7xf32>, %b: tensor<7xf32>) -> tensor<2x7xf32> {
  %s = qops.add %a, %b : (tensor<2x7xf32>, tensor<7xf32>) -> tensor<2x7xf32>
  %r = qops.relu %s : tensor<2x7xf32>
  return %r : tensor<2x7xf32>
}
