// RUN: quant-opt %s --check-call-graph -split-input-file -verify-diagnostics

// A function that calls itself.
func.func @self(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{recursion is not supported: call cycle @self -> @self (the function calls itself); the generated code would overflow the stack}}
  %y = func.call @self(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Three functions in a cycle, reached from @main: one error, at the call
// closing the cycle, naming them in call order.
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @a(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func private @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @b(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func private @b(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @c(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func private @c(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{recursion is not supported: call cycle @a -> @b -> @c -> @a; the generated code would overflow the stack}}
  %y = func.call @a(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// LLVM-dialect calls count too.
llvm.func @ping(%n: i64) {
  llvm.call @pong(%n) : (i64) -> ()
  llvm.return
}
llvm.func @pong(%n: i64) {
  // expected-error@+1 {{call cycle @ping -> @pong -> @ping}}
  llvm.call @ping(%n) : (i64) -> ()
  llvm.return
}

// -----

// Not a cycle: a diamond (@top calls @left and @right, both call @leaf) and
// a call to an external declaration.
func.func private @external(tensor<4xf32>) -> tensor<4xf32>
func.func @leaf(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @external(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func @left(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @leaf(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func @right(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @leaf(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func @top(%x: tensor<4xf32>) -> tensor<4xf32> {
  %l = func.call @left(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %r = func.call @right(%l) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
